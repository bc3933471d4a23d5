package io.agentcouncil.memory;

import io.agentcouncil.template.ChatMessage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link MemoryCrashTest} kills: remembers numbered entries into a SQLite file as
 * fast as the store takes them and prints {@code ack <run> <i>} for every entry acknowledged.
 * Args: database path, durability, run number.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        Memory.Durability durability = Memory.Durability.valueOf(args[1]);
        String run = args[2];
        PrintStream out = new PrintStream(System.out, false);
        Memory memory = Memory.builder().store(MemoryStores.sqlite(db)).durability(durability).build();
        out.println("ready");
        out.flush();
        for (long i = 0; ; i++) {
            memory.remember("crash", List.of(ChatMessage.user(run + " " + i)));
            out.println("ack " + run + " " + i);
            out.flush();
            if (durability == Memory.Durability.WRITE_BEHIND && i % 50 == 0) {
                // Paced so the queue never fills: the loss measured is the flush window's, not backpressure's.
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
