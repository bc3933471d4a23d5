package io.agentcouncil.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link MemoryStores#sqlite(Path)}: one SQLite file in WAL mode with {@code synchronous=FULL},
 * so a committed batch survives a process kill and a power cut.
 *
 * <p>Schema (its version is SQLite's {@code user_version}; {@link #MIGRATIONS} upgrades older
 * files in place, each step in its own transaction):
 * <pre>
 * entries (session TEXT, seq INTEGER, role TEXT, text TEXT, created_at INTEGER -- epoch ms,
 *          embedding BLOB -- float32 little-endian, empty when none; PRIMARY KEY (session, seq))
 * archive (the same columns): entries moved out of recall by {@link #archive(Instant)}
 * </pre>
 * One connection writes and one reads, so readers never wait for a write transaction (WAL).
 */
final class SqliteMemoryStore implements MemoryStore {

    private static final String COLUMNS = "session, seq, role, text, created_at, embedding";

    /** Step {@code i} takes a file from schema version {@code i} to {@code i + 1}. */
    static final List<String[]> MIGRATIONS = List.of(
            new String[] {
                "CREATE TABLE entries (session TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL,"
                        + " text TEXT NOT NULL, created_at INTEGER NOT NULL, embedding BLOB NOT NULL,"
                        + " PRIMARY KEY (session, seq)) WITHOUT ROWID",
            },
            new String[] {
                "CREATE TABLE archive (session TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL,"
                        + " text TEXT NOT NULL, created_at INTEGER NOT NULL, embedding BLOB NOT NULL,"
                        + " PRIMARY KEY (session, seq)) WITHOUT ROWID",
                "CREATE INDEX entries_created_at ON entries (created_at)",
            });

    static final int SCHEMA_VERSION = MIGRATIONS.size();

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private boolean closed;

    private SqliteMemoryStore(Path file, Connection writer, Connection reader) {
        this.file = file;
        this.writer = writer;
        this.reader = reader;
    }

    static SqliteMemoryStore open(Path file) {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new MemoryStoreException("cannot open memory database " + file + ": directory " + parent + " does not exist");
        }
        Connection writer = null;
        Connection reader = null;
        try {
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            writer = DriverManager.getConnection(url);
            try (Statement st = writer.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                    rs.next();
                }
                st.execute("PRAGMA synchronous = FULL");
            }
            migrate(writer, file);
            reader = DriverManager.getConnection(url);
            try (Statement st = reader.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
            }
            return new SqliteMemoryStore(file, writer, reader);
        } catch (SQLException e) {
            closeQuietly(reader);
            closeQuietly(writer);
            throw new MemoryStoreException("cannot open memory database " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(writer);
            throw e;
        }
    }

    private static void migrate(Connection c, Path file) throws SQLException {
        int version;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            rs.next();
            version = rs.getInt(1);
        }
        if (version > SCHEMA_VERSION) {
            throw new MemoryStoreException("memory database " + file + " has schema version " + version
                    + ", newer than this library's " + SCHEMA_VERSION + "; upgrade AgentCouncil to open it");
        }
        if (version == 0 && hasUserTables(c)) {
            throw new MemoryStoreException("cannot open memory database " + file
                    + ": it is a SQLite file of something else (tables but no memory schema version)");
        }
        c.setAutoCommit(false);
        try {
            for (int v = version; v < SCHEMA_VERSION; v++) {
                try (Statement st = c.createStatement()) {
                    for (String sql : MIGRATIONS.get(v)) {
                        st.execute(sql);
                    }
                    st.execute("PRAGMA user_version = " + (v + 1));
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean hasUserTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    @Override
    public void write(List<MemoryEntry> entries) {
        if (entries.isEmpty()) {
            synchronized (writer) {
                checkOpen();
            }
            return;
        }
        synchronized (writer) {
            checkOpen();
            try {
                writer.setAutoCommit(false);
                try (PreparedStatement live = writer.prepareStatement(
                                "INSERT OR REPLACE INTO entries (" + COLUMNS + ") SELECT ?1, ?2, ?3, ?4, ?5, ?6"
                                        + " WHERE NOT EXISTS (SELECT 1 FROM archive WHERE session = ?1 AND seq = ?2)");
                        PreparedStatement archived = writer.prepareStatement(
                                "UPDATE archive SET role = ?3, text = ?4, created_at = ?5, embedding = ?6"
                                        + " WHERE session = ?1 AND seq = ?2")) {
                    for (MemoryEntry e : entries) {
                        bind(live, e);
                        live.addBatch();
                        bind(archived, e);
                        archived.addBatch();
                    }
                    live.executeBatch();
                    archived.executeBatch();
                }
                writer.commit();
            } catch (SQLException e) {
                rollback();
                throw new MemoryStoreException("cannot write " + entries.size() + " entries to " + file + ": " + e.getMessage(), e);
            } finally {
                autoCommit();
            }
        }
    }

    private static void bind(PreparedStatement ps, MemoryEntry e) throws SQLException {
        ps.setString(1, e.session());
        ps.setLong(2, e.seq());
        ps.setString(3, e.role());
        ps.setString(4, e.text());
        ps.setLong(5, e.createdAt().toEpochMilli());
        ps.setBytes(6, toBytes(e.embedding()));
    }

    @Override
    public List<MemoryEntry> recent(String session, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        List<MemoryEntry> newestFirst = query("SELECT " + COLUMNS + " FROM entries WHERE session = ? ORDER BY seq DESC LIMIT ?",
                Objects.requireNonNull(session, "session"), count);
        List<MemoryEntry> out = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            out.add(newestFirst.get(i));
        }
        return out;
    }

    @Override
    public List<MemoryEntry> entries(String session) {
        return query("SELECT " + COLUMNS + " FROM entries WHERE session = ? ORDER BY seq",
                Objects.requireNonNull(session, "session"));
    }

    @Override
    public List<MemoryEntry> archived(String session) {
        return query("SELECT " + COLUMNS + " FROM archive WHERE session = ? ORDER BY seq",
                Objects.requireNonNull(session, "session"));
    }

    @Override
    public long lastSeq(String session) {
        Objects.requireNonNull(session, "session");
        synchronized (reader) {
            checkOpen();
            try (PreparedStatement ps = reader.prepareStatement(
                    "SELECT max(coalesce((SELECT max(seq) FROM entries WHERE session = ?1), 0),"
                            + " coalesce((SELECT max(seq) FROM archive WHERE session = ?1), 0))")) {
                ps.setString(1, session);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new MemoryStoreException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void forEachLive(Consumer<MemoryEntry> sink) {
        synchronized (reader) {
            checkOpen();
            try (Statement st = reader.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM entries ORDER BY session, seq")) {
                while (rs.next()) {
                    sink.accept(entry(rs));
                }
            } catch (SQLException e) {
                throw new MemoryStoreException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public int archive(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        synchronized (writer) {
            checkOpen();
            try {
                writer.setAutoCommit(false);
                int moved;
                try (PreparedStatement copy = writer.prepareStatement(
                                "INSERT OR REPLACE INTO archive (" + COLUMNS + ") SELECT " + COLUMNS
                                        + " FROM entries WHERE created_at < ?");
                        PreparedStatement delete = writer.prepareStatement("DELETE FROM entries WHERE created_at < ?")) {
                    copy.setLong(1, cutoff.toEpochMilli());
                    moved = copy.executeUpdate();
                    delete.setLong(1, cutoff.toEpochMilli());
                    if (delete.executeUpdate() != moved) {
                        throw new SQLException("archive copied and removed different row counts");
                    }
                }
                writer.commit();
                return moved;
            } catch (SQLException e) {
                rollback();
                throw new MemoryStoreException("cannot archive entries in " + file + ": " + e.getMessage(), e);
            } finally {
                autoCommit();
            }
        }
    }

    private List<MemoryEntry> query(String sql, Object... args) {
        synchronized (reader) {
            checkOpen();
            try (PreparedStatement ps = reader.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                List<MemoryEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new MemoryStoreException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static MemoryEntry entry(ResultSet rs) throws SQLException {
        return new MemoryEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), fromBytes(rs.getBytes(6)));
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length % 4 != 0) {
            throw new MemoryStoreException("corrupt embedding: " + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the write already failed with the first error.
        }
    }

    private void autoCommit() {
        try {
            writer.setAutoCommit(true);
        } catch (SQLException ignored) {
            // As above: the failure that matters has been reported.
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory store is closed");
        }
    }

    @Override
    public void close() {
        synchronized (writer) {
            synchronized (reader) {
                if (closed) {
                    return;
                }
                closed = true;
                closeQuietly(reader);
                closeQuietly(writer);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing is best effort; the data is already committed.
            }
        }
    }
}
