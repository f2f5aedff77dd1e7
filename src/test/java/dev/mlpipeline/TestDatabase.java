package dev.mlpipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain JDBC to the service's database, for the few checks a test makes behind the API (nothing
 * stored after a refused upload, a job row written as a crashed replica leaves it). It works the
 * same in a {@code @QuarkusTest} (the embedded database the test profile starts) and in a
 * {@code @QuarkusIntegrationTest} (the database {@link PostgresResource} starts for the packaged
 * jar), so such checks can stay in the HTTP tests that the {@code *IT} classes inherit; injected
 * beans cannot (integration tests refuse {@code @Inject}).
 *
 * <p>One short connection per call: the tests make a handful of these calls, and the database is local.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** A function from the current row of a result to a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Runs an INSERT, UPDATE or DELETE with {@code ?} parameters; returns the number of rows changed. */
    public static int update(String sql, Object... params) {
        return run(sql, params, PreparedStatement::executeUpdate);
    }

    /** The first column of the only row of a query, as a long (a {@code count(*)}). */
    public static long count(String sql, Object... params) {
        return first(sql, row -> row.getLong(1), params).orElseThrow(() -> new AssertionError("no row: " + sql));
    }

    /** The first row of a query mapped by {@code mapper}, or empty. */
    public static <T> Optional<T> first(String sql, RowMapper<T> mapper, Object... params) {
        return run(sql, params, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.<T>empty();
            }
        });
    }

    private interface Work<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    private static <T> T run(String sql, Object[] params, Work<T> work) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return work.apply(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect() throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", setting("quarkus.datasource.username"));
        credentials.setProperty("password", setting("quarkus.datasource.password"));
        // The driver directly, not DriverManager: under @QuarkusTest the test class and the driver
        // may come from different class loaders, which DriverManager refuses.
        Connection connection = new org.postgresql.Driver().connect(setting("quarkus.datasource.jdbc.url"), credentials);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + setting("quarkus.datasource.jdbc.url"));
        }
        return connection;
    }

    /** A system property (set by {@link PostgresResource} for integration tests), else the running application's config. */
    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : ConfigProvider.getConfig().getValue(name, String.class);
    }
}
