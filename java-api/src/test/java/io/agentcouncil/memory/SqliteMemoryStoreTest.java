package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMemoryStoreTest extends MemoryStoreContract {

    @TempDir
    Path dir;

    @Override
    MemoryStore open() {
        return MemoryStores.sqlite(dir.resolve("memory.db"));
    }

    @Test
    void entriesSurviveReopening() {
        store.write(List.of(entry("s", 1, "My bike is turquoise.")));
        store.close();
        store = open();
        assertEquals(List.of("My bike is turquoise."), texts(store.entries("s")));
    }

    @Test
    void theFileIsInWalModeAtTheCurrentSchemaVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("memory.db"));
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                rs.next();
                assertEquals(SqliteMemoryStore.SCHEMA_VERSION, rs.getInt(1));
            }
        }
    }

    @Test
    void aVersionOneFileIsMigratedAndKeepsItsEntries() throws Exception {
        Path old = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement st = c.createStatement()) {
            for (String sql : SqliteMemoryStore.MIGRATIONS.get(0)) {
                st.execute(sql);
            }
            st.execute("PRAGMA user_version = 1");
            st.execute("INSERT INTO entries VALUES ('s', 1, 'user', 'kept', 1000, x'')");
        }
        try (MemoryStore migrated = MemoryStores.sqlite(old)) {
            assertEquals(List.of("kept"), texts(migrated.entries("s")));
            assertEquals(1, migrated.archive(java.time.Instant.ofEpochMilli(2000)));
            assertEquals(List.of("kept"), texts(migrated.archived("s")));
        }
    }

    @Test
    void aNewerSchemaIsRefusedByName() throws Exception {
        Path future = dir.resolve("future.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + future); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        MemoryStoreException e = assertThrows(MemoryStoreException.class, () -> MemoryStores.sqlite(future));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void aFileThatIsNotADatabaseIsAClearErrorAndIsLeftAlone() throws Exception {
        Path junk = dir.resolve("junk.db");
        byte[] bytes = "this is not a database, just some text that is long enough to matter.".repeat(40).getBytes();
        Files.write(junk, bytes);
        MemoryStoreException e = assertThrows(MemoryStoreException.class, () -> MemoryStores.sqlite(junk));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(junk)), "the file is untouched");
    }

    @Test
    void anotherApplicationsDatabaseIsRefused() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE invoices (id INTEGER)");
        }
        MemoryStoreException e = assertThrows(MemoryStoreException.class, () -> MemoryStores.sqlite(other));
        assertTrue(e.getMessage().contains("something else"), e.getMessage());
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path nowhere = dir.resolve("no/such/dir/memory.db");
        MemoryStoreException e = assertThrows(MemoryStoreException.class, () -> MemoryStores.sqlite(nowhere));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
