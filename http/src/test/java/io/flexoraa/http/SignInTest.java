package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.json;
import static io.flexoraa.http.TestEngine.totp;
import static io.flexoraa.http.TestEngine.totpStep;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * People signing in, over real HTTP against a real engine: creating users (password policy, unique e-mail), the
 * lock after repeated failures, TOTP enrolment and single-use codes, sessions that end when the role changes, the
 * user is removed or the session lies idle, the tenant boundary, and the audit trail of all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInTest {
  private static final String PASSWORD = "correct horse battery staple";

  private TestEngine engine;
  private String tenantId;
  private String otherTenantId;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Sign-in Homes", "IN");
    otherTenantId = engine.createTenant("Elsewhere Estates", "AE");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  @Test
  void creatingAUserChecksThePasswordAndTheEmail() {
    int usersCreatedBefore = entries("access.user-created", null).size();
    HttpResponse<String> weak = createUser("weak@signin.example", "SDR", "elevenchars");
    assertProblem(weak, 400);
    assertThat(json(weak).get("field").asText()).isEqualTo("password");

    HttpResponse<String> invalid = createUser("not-an-email", "SDR", PASSWORD);
    assertProblem(invalid, 400);
    assertThat(json(invalid).get("field").asText()).isEqualTo("email");

    HttpResponse<String> created = createUser("Taken@Signin.example", "SDR", PASSWORD);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String userId = json(created).get("id").asText();
    assertThat(json(created).get("email").asText()).isEqualTo("taken@signin.example");
    assertThat(json(created).toString()).doesNotContain(PASSWORD).doesNotContain("argon2");

    HttpResponse<String> duplicate = createUser("TAKEN@signin.EXAMPLE", "Manager", PASSWORD);
    assertProblem(duplicate, 409);
    // e-mails are unique on the whole platform, not per tenant
    assertThat(engine.post("/api/v1/tenants/" + otherTenantId + "/users", OPERATOR_KEY, userJson("taken@signin.example",
        "SDR", PASSWORD)).statusCode()).isEqualTo(409);
    assertThat(engine.count("SELECT count(*) FROM users WHERE lower(email) = 'taken@signin.example'")).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM users WHERE email IN ('weak@signin.example', 'not-an-email')")).isZero();

    // refused creations leave no trace in the audit trail; the one that worked does
    assertThat(entries("access.user-created", "user:" + userId)).hasSize(1);
    assertThat(entries("access.user-created", null)).hasSize(usersCreatedBefore + 1);
  }

  @Test
  void fiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne() {
    String userId = engine.createUser(tenantId, "locked@signin.example", "ReadOnly", PASSWORD);
    for (int attempt = 1; attempt <= 4; attempt++) {
      HttpResponse<String> wrong = engine.login("locked@signin.example", "wrong password " + attempt, null);
      assertProblem(wrong, 401);
      assertThat(json(wrong).get("title").asText()).isEqualTo("Invalid credentials");
    }
    HttpResponse<String> fifth = engine.login("locked@signin.example", "wrong password 5", null);
    assertProblem(fifth, 429);
    long retryAfter = Long.parseLong(fifth.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);

    HttpResponse<String> right = engine.login("locked@signin.example", PASSWORD, null);
    assertProblem(right, 429);
    assertThat(right.headers().firstValue("Retry-After")).isPresent();
    assertThat(right.body()).doesNotContain("token");

    // an unknown e-mail is just wrong credentials: nothing tells whether an account exists
    HttpResponse<String> unknown = engine.login("nobody@signin.example", PASSWORD, null);
    assertProblem(unknown, 401);
    assertThat(json(unknown).get("title").asText()).isEqualTo("Invalid credentials");

    List<String> reasons = new ArrayList<>();
    entries("auth.sign-in-refused", "user:" + userId).forEach(entry -> reasons.add(entry.get("details").get("reason").asText()));
    assertThat(reasons).containsExactly("invalid-credentials", "invalid-credentials", "invalid-credentials",
        "invalid-credentials", "locked", "locked");
    assertThat(entries("auth.signed-in", "user:" + userId)).isEmpty();
  }

  @Test
  void aManagerEnrolsTotpAndEachCodeWorksOnce() {
    String userId = engine.createUser(tenantId, "manager@signin.example", "Manager", PASSWORD);
    HttpResponse<String> login = engine.login("manager@signin.example", PASSWORD, null);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(json(login).get("secondFactor").asText()).isEqualTo("enrolment-required");
    String partial = json(login).get("token").asText();
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", partial).statusCode()).isEqualTo(403);

    HttpResponse<String> enrolment = engine.post("/api/v1/auth/mfa/enroll", partial, "{}");
    assertThat(enrolment.statusCode()).as(enrolment.body()).isEqualTo(200);
    String secret = json(enrolment).get("secret").asText();
    assertThat(json(enrolment).get("otpauthUri").asText()).contains("secret=" + secret);
    long step = totpStep();
    HttpResponse<String> wrongCode = engine.post("/api/v1/auth/mfa/verify", partial, "{\"code\":\"" + wrongCode(secret, step) + "\"}");
    assertProblem(wrongCode, 400);
    assertThat(json(wrongCode).get("field").asText()).isEqualTo("code");
    HttpResponse<String> verified = engine.post("/api/v1/auth/mfa/verify", partial, "{\"code\":\"" + totp(secret, step) + "\"}");
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    assertThat(json(verified).get("secondFactor").asText()).isEqualTo("verified");
    String full = json(verified).get("token").asText();
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", full).statusCode()).isEqualTo(200);
    // the restricted token ended with the verification
    assertThat(engine.post("/api/v1/auth/mfa/enroll", partial, "{}").statusCode()).isEqualTo(401);

    // from now on the password alone is not enough
    HttpResponse<String> withoutCode = engine.login("manager@signin.example", PASSWORD, null);
    assertProblem(withoutCode, 401);
    assertThat(json(withoutCode).get("title").asText()).isEqualTo("Second factor required");
    assertThat(json(withoutCode).get("field").asText()).isEqualTo("totp");

    // the step just used for enrolment is spent
    HttpResponse<String> spent = engine.login("manager@signin.example", PASSWORD, totp(secret, step));
    assertProblem(spent, 401);
    assertThat(json(spent).get("title").asText()).isEqualTo("Invalid credentials");

    // the next step's code is accepted (one step of drift either way), once
    String next = totp(secret, step + 1);
    HttpResponse<String> signedIn = engine.login("manager@signin.example", PASSWORD, next);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    assertThat(json(signedIn).get("secondFactor").asText()).isEqualTo("verified");
    String token = json(signedIn).get("token").asText();
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(200);
    assertThat(json(engine.get("/api/v1/auth/me", token)).get("role").asText()).isEqualTo("Manager");

    HttpResponse<String> replayed = engine.login("manager@signin.example", PASSWORD, next);
    assertProblem(replayed, 401);
    assertThat(replayed.body()).doesNotContain("\"token\"");

    assertThat(entries("auth.signed-in", "user:" + userId)).hasSize(2); // the enrolment sign-in and the one with a code
    assertThat(entries("auth.mfa-verified", "user:" + userId)).hasSize(1);
    List<String> reasons = new ArrayList<>();
    entries("auth.sign-in-refused", "user:" + userId).forEach(entry -> reasons.add(entry.get("details").get("reason").asText()));
    assertThat(reasons).containsExactly("second-factor-missing", "invalid-credentials", "invalid-credentials");
  }

  @Test
  void aRoleChangeEndsTheSessionsAndRemovalEndsTheAccess() {
    String userId = engine.createUser(tenantId, "changing@signin.example", "SDR", PASSWORD);
    String token = engine.signIn("changing@signin.example", PASSWORD);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(200);
    assertThat(json(engine.get("/api/v1/auth/me", token)).get("role").asText()).isEqualTo("SDR");

    HttpResponse<String> changed = engine.request("PATCH", "/api/v1/tenants/" + tenantId + "/users/" + userId,
        OPERATOR_KEY, "{\"role\":\"ReadOnly\"}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(json(changed).get("role").asText()).isEqualTo("ReadOnly");
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(401);
    assertThat(engine.get("/api/v1/auth/me", token).statusCode()).isEqualTo(401);

    JsonNode roleChanged = single(entries("access.role-changed", "user:" + userId));
    assertThat(roleChanged.get("actor").asText()).isEqualTo("operator");
    assertThat(roleChanged.get("details").get("from").asText()).isEqualTo("SDR");
    assertThat(roleChanged.get("details").get("to").asText()).isEqualTo("ReadOnly");

    // signing in again gives the new role
    String again = engine.signIn("changing@signin.example", PASSWORD);
    assertThat(json(engine.get("/api/v1/auth/me", again)).get("role").asText()).isEqualTo("ReadOnly");

    HttpResponse<String> removed = engine.request("DELETE", "/api/v1/tenants/" + tenantId + "/users/" + userId,
        OPERATOR_KEY, null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", again).statusCode()).isEqualTo(401);
    HttpResponse<String> refused = engine.login("changing@signin.example", PASSWORD, null);
    assertProblem(refused, 401);
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/users/" + userId, OPERATOR_KEY)).get("status").asText())
        .isEqualTo("disabled");
    JsonNode revoked = single(entries("access.revoked", "user:" + userId));
    assertThat(revoked.get("actor").asText()).isEqualTo("operator");
    assertThat(revoked.get("details").get("role").asText()).isEqualTo("ReadOnly");
    assertThat(entries("auth.sign-in-refused", "user:" + userId)).hasSize(1);
  }

  @Test
  void aSessionLeftIdleForThirtyMinutesEnds() {
    String userId = engine.createUser(tenantId, "idle@signin.example", "SDR", PASSWORD);
    String token = engine.signIn("idle@signin.example", PASSWORD);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(200);

    // last used 29 minutes ago: still good
    assertThat(engine.update("UPDATE user_sessions SET last_seen_at = now() - interval '29 minutes'"
        + " WHERE tenant_id = ? AND user_id = ?", tenantId, userId)).isEqualTo(1);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(200);

    // last used 31 minutes ago: over
    assertThat(engine.update("UPDATE user_sessions SET last_seen_at = now() - interval '31 minutes'"
        + " WHERE tenant_id = ? AND user_id = ?", tenantId, userId)).isEqualTo(1);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(401);
    assertThat(engine.get("/api/v1/auth/me", token).statusCode()).isEqualTo(401);
    // and using it does not revive it
    assertThat(engine.count("SELECT count(*) FROM user_sessions WHERE tenant_id = ? AND user_id = ?"
        + " AND last_seen_at > now() - interval '30 minutes'", tenantId, userId)).isZero();

    // signing in again opens a new session
    String fresh = engine.signIn("idle@signin.example", PASSWORD);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", fresh).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenOfOneTenantIsRefusedOnAnother() {
    engine.createUser(tenantId, "boundary@signin.example", "SDR", PASSWORD);
    String token = engine.signIn("boundary@signin.example", PASSWORD);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads", token).statusCode()).isEqualTo(200);
    HttpResponse<String> elsewhere = engine.get("/api/v1/tenants/" + otherTenantId + "/leads", token);
    assertProblem(elsewhere, 403);
    assertThat(engine.get("/api/v1/tenants/" + otherTenantId, token).statusCode()).isEqualTo(403);
  }

  @Test
  void theTenantsAuditTrailHasTheSignInsAndTheNewUsers() {
    String userId = engine.createUser(tenantId, "audited@signin.example", "Product", PASSWORD);
    engine.signIn("audited@signin.example", PASSWORD);
    assertProblem(engine.login("audited@signin.example", "not the password", null), 401);

    JsonNode created = single(entries("access.user-created", "user:" + userId));
    assertThat(created.get("actor").asText()).isEqualTo("operator");
    assertThat(created.get("details").get("role").asText()).isEqualTo("Product");
    JsonNode signedIn = single(entries("auth.signed-in", "user:" + userId));
    assertThat(signedIn.get("actor").asText()).isEqualTo("user:" + userId);
    JsonNode refused = single(entries("auth.sign-in-refused", "user:" + userId));
    assertThat(refused.get("details").get("reason").asText()).isEqualTo("invalid-credentials");
    // the trail names people by id, never by e-mail or password
    String trail = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?limit=1000", OPERATOR_KEY)).toString();
    assertThat(trail).doesNotContain("audited@signin.example").doesNotContain(PASSWORD).doesNotContain("not the password");
    // nothing of this tenant's people lands in the other tenant's trail
    assertThat(json(engine.get("/api/v1/tenants/" + otherTenantId + "/audit?limit=1000", OPERATOR_KEY)).toString())
        .doesNotContain(userId);
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/audit/verify", OPERATOR_KEY)).get("valid").asBoolean())
        .isTrue();
  }

  // ---- helpers ----

  private HttpResponse<String> createUser(String email, String role, String password) {
    return engine.post("/api/v1/tenants/" + tenantId + "/users", OPERATOR_KEY, userJson(email, role, password));
  }

  private static String userJson(String email, String role, String password) {
    return "{\"email\":\"" + email + "\",\"name\":\"Some Person\",\"role\":\"" + role + "\",\"password\":\"" + password + "\"}";
  }

  /** The tenant's audit entries with this action (and subject, unless null), oldest first. */
  private List<JsonNode> entries(String action, String subject) {
    String path = "/api/v1/tenants/" + tenantId + "/audit?limit=1000&action=" + action
        + (subject == null ? "" : "&subject=" + subject);
    HttpResponse<String> response = engine.get(path, OPERATOR_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> entries = new ArrayList<>();
    json(response).get("items").forEach(entries::add);
    return entries;
  }

  /** Six digits that are not the code of any step the engine could accept around {@code step}. */
  private static String wrongCode(String secret, long step) {
    List<String> valid = List.of(totp(secret, step - 2), totp(secret, step - 1), totp(secret, step), totp(secret, step + 1),
        totp(secret, step + 2));
    for (int digit = 0; ; digit++) {
      String candidate = String.valueOf(digit % 10).repeat(6);
      if (!valid.contains(candidate)) return candidate;
    }
  }

  private static JsonNode single(List<JsonNode> entries) {
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void aPersonReplacesTheirPasswordAndEveryOtherSessionEnds() {
    engine.createUser(tenantId, "changer@signin.example", "SDR", PASSWORD);
    String here = engine.signIn("changer@signin.example", PASSWORD);
    String elsewhere = engine.signIn("changer@signin.example", PASSWORD);
    String newPassword = "a much longer new passphrase";

    HttpResponse<String> wrong = engine.post("/api/v1/auth/password", here,
        "{\"currentPassword\":\"not it at all\",\"newPassword\":\"" + newPassword + "\"}");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(TestEngine.json(wrong).get("field").asText()).isEqualTo("currentPassword");
    HttpResponse<String> weak = engine.post("/api/v1/auth/password", here,
        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"short\"}");
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(TestEngine.json(weak).get("field").asText()).isEqualTo("newPassword");

    assertThat(engine.post("/api/v1/auth/password", here,
        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + newPassword + "\"}").statusCode()).isEqualTo(204);
    assertThat(engine.get("/api/v1/auth/me", here).statusCode()).as("this session goes on").isEqualTo(200);
    assertThat(engine.get("/api/v1/auth/me", elsewhere).statusCode()).as("every other session ends").isEqualTo(401);
    assertThat(engine.login("changer@signin.example", PASSWORD, null).statusCode()).isEqualTo(401);
    assertThat(engine.login("changer@signin.example", newPassword, null).statusCode()).isEqualTo(200);
    assertThat(engine.post("/api/v1/auth/password", engine.createApiKey(tenantId, "Admin"),
        "{\"currentPassword\":\"x\",\"newPassword\":\"y\"}").statusCode()).as("people only, not keys").isEqualTo(403);
  }
}
