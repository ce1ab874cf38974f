package io.flexoraa.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login role the API's connections use. PostgreSQL skips row-level security for superusers, for roles with
 * BYPASSRLS and for a table's owner (and whoever inherits the owner's privileges), which is what the engine's other
 * pools log in as. The API therefore logs in as a role that is none of these, so that a query without
 * {@code app.tenant_id} sees nothing and a query for one tenant never sees another's rows, whatever the code does.
 *
 * <p>The owner creates the role and sets its password when it may create roles (the embedded server's owner always
 * may); on an external database whose owner may not, an administrator creates it once and start-up says exactly how.
 * Whichever way the role came about, start-up refuses one that would silently void the policies.
 */
final class ApplicationRole {
  /** The NOLOGIN group role migration V5 grants the read models to and writes the policies for. */
  static final String GROUP = "flexoraa_app";
  /** Where a generated password is kept, so that a restart (and the role) keep using the same one. */
  static final String PASSWORD_FILE = "database-app-password";

  private static final Logger log = LoggerFactory.getLogger(ApplicationRole.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String DUPLICATE_OBJECT = "42710";

  private ApplicationRole() {}

  /** Who the API pool logs in as; the password never appears in {@link #toString()}. */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + "]";
    }
  }

  private record Attributes(boolean superuser, boolean bypassesRowSecurity) {}

  /**
   * Makes sure the role exists, is a member of {@link #GROUP} and has the password the pool will use. Runs on an
   * owner connection after the migrations, which created the group role.
   */
  static Credentials ensure(DataSource owner, DatabaseSettings settings, boolean embedded) {
    String user = settings.appUser();
    try (Connection connection = owner.getConnection()) {
      String ownerName;
      boolean mayCreateRoles;
      try (Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery(
              "SELECT rolname, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
        row.next();
        ownerName = row.getString(1);
        mayCreateRoles = row.getBoolean(2);
      }
      if (user.equals(ownerName)) {
        throw new IllegalStateException("flexoraa.database.app-user (DATABASE_APP_USER) is " + user
            + ", the role that owns the schema; row-level security does not apply to the owner, so the API needs a"
            + " role of its own");
      }
      Optional<Attributes> existing = attributes(connection, user);
      if (existing.isPresent()) {
        refuseIfPrivileged(user, existing.get().superuser(), existing.get().bypassesRowSecurity());
      }
      if (!mayCreateRoles) return createdByAdministrator(connection, settings, existing.isPresent(), ownerName);

      String password = settings.appPassword().orElseGet(() -> storedOrGenerated(settings.dataDirectory(), embedded));
      if (existing.isEmpty()) create(connection, user);
      // hashed by the driver (SCRAM, as the server's password_encryption asks): the clear text never reaches the
      // server, so it cannot end up in a statement log
      connection.unwrap(PGConnection.class).alterUserPassword(user, password.toCharArray(), null);
      if (!isMember(connection, user)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("GRANT " + GROUP + " TO " + identifier(connection, user));
        }
      }
      return new Credentials(user, password);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not set up the database role " + user + " for the API: " + e.getMessage(), e);
    }
  }

  /**
   * Checks what the API pool really logs in as, not what it was told to: a URL parameter can override the user, and
   * membership in the owner's role would make its queries exempt from the policies as well.
   */
  static void verify(DataSource api, String expectedUser) {
    try (Connection connection = api.getConnection()) {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT current_user, rolsuper, rolbypassrls, pg_has_role(current_user, ?, 'USAGE')"
              + " FROM pg_roles WHERE rolname = current_user")) {
        statement.setString(1, GROUP);
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          String actual = row.getString(1);
          if (!actual.equals(expectedUser)) {
            throw new IllegalStateException("The API's database connections logged in as " + actual + " instead of "
                + expectedUser + "; remove user= from DATABASE_URL");
          }
          refuseIfPrivileged(actual, row.getBoolean(2), row.getBoolean(3));
          if (!row.getBoolean(4)) {
            throw new IllegalStateException("The database role " + actual + " does not inherit the privileges of "
                + GROUP + "; run GRANT " + GROUP + " TO " + identifier(connection, actual) + " (and give the role"
                + " INHERIT if it has NOINHERIT)");
          }
        }
      }
      try (Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery(
              "SELECT string_agg(oid::regclass::text, ', ' ORDER BY relname) FROM pg_class"
                  + " WHERE relrowsecurity AND NOT relforcerowsecurity"
                  + " AND pg_has_role(current_user, relowner, 'USAGE')")) {
        row.next();
        String owned = row.getString(1);
        if (owned != null) {
          throw new IllegalStateException("The database role " + expectedUser + " owns (or inherits the owner of) "
              + owned + "; row-level security does not apply to a table's owner, so the API needs a role that owns"
              + " nothing");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not check the database role " + expectedUser + " of the API: " + e.getMessage(), e);
    }
  }

  private static Optional<Attributes> attributes(Connection connection, String user) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?")) {
      statement.setString(1, user);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(new Attributes(row.getBoolean(1), row.getBoolean(2))) : Optional.empty();
      }
    }
  }

  private static void refuseIfPrivileged(String user, boolean superuser, boolean bypassesRowSecurity) {
    if (!superuser && !bypassesRowSecurity) return;
    throw new IllegalStateException("The database role " + user + " for the API has "
        + (superuser ? "SUPERUSER" : "BYPASSRLS") + ": row-level security would not apply to it and tenant isolation"
        + " would rest on code alone. Run ALTER ROLE " + user + " NOSUPERUSER NOBYPASSRLS, or set"
        + " flexoraa.database.app-user (DATABASE_APP_USER) to another role");
  }

  private static boolean isMember(Connection connection, String user) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_has_role(?, ?, 'USAGE')")) {
      statement.setString(1, user);
      statement.setString(2, GROUP);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  /** Another node starting at the same moment may create it first; that is as good as creating it here. */
  private static void create(Connection connection, String user) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE " + identifier(connection, user)
          + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION INHERIT");
      log.info("Created the database role {} for the API's connections", user);
    } catch (SQLException e) {
      if (!DUPLICATE_OBJECT.equals(e.getSQLState())) throw e;
    }
  }

  /** The owner may not manage roles: the role, its membership and its password are an administrator's to set. */
  private static Credentials createdByAdministrator(
      Connection connection, DatabaseSettings settings, boolean exists, String ownerName) throws SQLException {
    String user = settings.appUser();
    String name = identifier(connection, user);
    if (!exists) {
      throw new IllegalStateException("The database role " + user + " for the API does not exist, and " + ownerName
          + " (DATABASE_USER) may not create roles. Ask an administrator to run:\n"
          + "  CREATE ROLE " + name + " LOGIN PASSWORD '<password>' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;\n"
          + "  GRANT " + GROUP + " TO " + name + ";\n"
          + "then start the engine with DATABASE_APP_PASSWORD=<password>");
    }
    if (!isMember(connection, user)) {
      throw new IllegalStateException("The database role " + user + " for the API is not a member of " + GROUP
          + ", and " + ownerName + " (DATABASE_USER) may not grant it. Ask an administrator to run:\n"
          + "  GRANT " + GROUP + " TO " + name + ";");
    }
    Optional<String> password =
        settings.appPassword().or(() -> stored(settings.dataDirectory().resolve(PASSWORD_FILE)));
    if (password.isEmpty()) {
      throw new IllegalStateException("The database role " + user + " exists, but no password for it is configured"
          + " and " + ownerName + " (DATABASE_USER) may not set one: set DATABASE_APP_PASSWORD");
    }
    return new Credentials(user, password.get());
  }

  /** Quoted only when it has to be, so that messages show the name as an operator would type it. */
  private static String identifier(Connection connection, String name) throws SQLException {
    if (name.matches("[a-z_][a-z0-9_]*")) return name;
    return connection.unwrap(PGConnection.class).escapeIdentifier(name);
  }

  private static Optional<String> stored(Path file) {
    try {
      if (!Files.exists(file)) return Optional.empty();
      String value = Files.readString(file, StandardCharsets.UTF_8).trim();
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the API database password in " + file, e);
    }
  }

  private static String storedOrGenerated(Path dataDirectory, boolean embedded) {
    Path file = dataDirectory.resolve(PASSWORD_FILE);
    Optional<String> existing = stored(file);
    if (existing.isPresent()) return existing.get();
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try {
      writePrivately(dataDirectory, file, generated);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not store the API database password in " + file, e);
    }
    if (!embedded) {
      log.warn("DATABASE_APP_PASSWORD is not set: generated a password for the database role of the API and stored"
          + " it in {}. Nodes sharing this database must all set the same DATABASE_APP_PASSWORD, or each start resets"
          + " the password the others log in with", file);
    }
    // another process may have won the race to create the file; its password is the one both use
    return stored(file).orElse(generated);
  }

  /**
   * Written to an owner-only temporary file, synced, then linked into place: a crash never leaves half a password,
   * and of two processes starting at once the second link fails and both read back the one that won.
   */
  private static void writePrivately(Path directory, Path file, String value) throws IOException {
    Files.createDirectories(directory);
    Path temporary = Files.getFileStore(directory).supportsFileAttributeView("posix")
        ? Files.createTempFile(directory, ".database-app-password", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(directory, ".database-app-password", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException lostTheRace) {
        // the other process's file stands
      } catch (UnsupportedOperationException | IOException noHardLinks) {
        try {
          Files.move(temporary, file);
        } catch (FileAlreadyExistsException lostTheRace) {
          // the other process's file stands
        }
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
