package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Server-Sent Events parsed from a response's lines, as a browser's EventSource would. */
record Sse(String name, String data) {

    JsonNode json() {
        try {
            return Api.JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event of {@code lines}, in order; an event without a name is "message". */
    static List<Sse> parse(Stream<String> lines) {
        List<Sse> events = new ArrayList<>();
        Iterator<String> it = lines.iterator();
        String name = "message";
        StringBuilder data = new StringBuilder();
        while (it.hasNext()) {
            String line = it.next();
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new Sse(name, data.toString()));
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
        return events;
    }
}
