package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.access.Role;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.http.auth.AuthService;
import io.flexoraa.http.auth.Claims;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.users.UserStore;
import io.flexoraa.persistence.users.UserStore.User;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Sign-in and the team: password + TOTP login giving a JWT bound to a server-side session, TOTP enrolment, sign-out,
 * and an administrator inviting people, changing their role and removing their access. Every grant, change and
 * revocation of access is audited in the transaction that makes it; sign-ins and failed sign-ins are audited too.
 */
final class AuthRoutes extends AllDirectives {
  /** Deliberately loose: the address must be deliverable, which only an e-mail proves; this catches typing slips. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s.]{2,}");

  private final AuthService auth;
  private final UserStore users;
  private final Jdbc jdbc;
  private final Clock clock;

  AuthRoutes(AuthService auth, UserStore users, Jdbc jdbc, Clock clock) {
    this.auth = auth;
    this.users = users;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** What the API's authenticator asks for a token that is not an API key. */
  CompletionStage<Optional<Principal>> authenticate(String token) {
    return auth.authenticate(token).thenApply(claims -> claims.map(Principal.User::new));
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LOGIN, call -> login());
    handlers.put(Endpoint.ENROL_SECOND_FACTOR, call -> onSuccess(auth.enrolMfa(claims(call)).thenCompose(enrolment ->
        enrolment instanceof AuthService.EnrolmentStarted
            ? audit(call, "auth.mfa-enrolment-started").thenApply(entry -> enrolment)
            : CompletableFuture.completedFuture(enrolment)), enrolment -> {
      if (enrolment instanceof AuthService.EnrolmentStarted started) {
        return complete(Json.response(StatusCodes.OK, Map.of("otpauthUri", started.otpauthUri(), "secret", started.secret())));
      }
      return complete(Problems.of(StatusCodes.CONFLICT, "Cannot enrol", ((AuthService.EnrolmentRefused) enrolment).reason()));
    }));
    handlers.put(Endpoint.VERIFY_SECOND_FACTOR, call -> entity(Unmarshaller.entityToString(), raw -> {
      String code = Json.requiredText(Json.object(raw), "code", 10);
      return onSuccess(auth.verifyMfa(claims(call), code).thenCompose(verification ->
          verification instanceof AuthService.Success
              ? audit(call, "auth.mfa-verified").thenApply(entry -> verification)
              : CompletableFuture.completedFuture(verification)), verification -> {
        if (verification instanceof AuthService.Success success) {
          return complete(Json.response(StatusCodes.OK, signedIn(success.token(), success.claims(), success.user(), "verified")));
        }
        return complete(Problems.of(StatusCodes.BAD_REQUEST, "Invalid code",
            "the code does not match the authenticator (or was already used)", "code"));
      });
    }));
    handlers.put(Endpoint.LOGOUT, call -> onSuccess(
        auth.logout(claims(call)).thenCompose(ended -> audit(call, "auth.signed-out")),
        entry -> complete(StatusCodes.NO_CONTENT)));
    handlers.put(Endpoint.CURRENT_USER, call -> onSuccess(users.find(claims(call).tenantId(), claims(call).userId()),
        user -> user.map(found -> {
          Map<String, Object> body = userView(found);
          body.put("tenantId", found.tenantId());
          body.put("sessionExpiresAt", claims(call).expiresAt());
          return complete(Json.response(StatusCodes.OK, body));
        }).orElseGet(() -> complete(Problems.notFound("no such user")))));
    handlers.put(Endpoint.CHANGE_PASSWORD, this::changePassword);

    handlers.put(Endpoint.CREATE_USER, this::createUser);
    handlers.put(Endpoint.LIST_USERS, call -> onSuccess(users.list(call.tenant().id()), list ->
        complete(Json.response(StatusCodes.OK, new Page<>(list.stream().map(AuthRoutes::userView).toList(), list.size())))));
    handlers.put(Endpoint.GET_USER, call -> onSuccess(users.find(call.tenant().id(), call.variable("user")), user -> user
        .map(found -> complete(Json.response(StatusCodes.OK, userView(found))))
        .orElseGet(() -> complete(Problems.notFound("no such user")))));
    handlers.put(Endpoint.UPDATE_USER, this::changeRole);
    handlers.put(Endpoint.REMOVE_USER, this::removeUser);
    return handlers;
  }

  private static Claims claims(ApiRouter.Call call) {
    return ((Principal.User) call.principal()).claims();
  }

  // ---- sign-in ----

  private Route login() {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String email = Json.requiredText(body, "email", 254).toLowerCase();
      String password = Json.requiredText(body, "password", 1024);
      String totp = Json.optionalText(body, "totp", 10);
      return onSuccess(auth.login(email, password, totp).thenCompose(result -> auditLogin(email, result)),
          result -> complete(loginResponse(result)));
    });
  }

  private HttpResponse loginResponse(AuthService.LoginResult result) {
    if (result instanceof AuthService.Success success) {
      return Json.response(StatusCodes.OK, signedIn(success.token(), success.claims(), success.user(),
          success.user().mfaEnrolled() ? "verified" : "not-required"));
    }
    if (result instanceof AuthService.MfaEnrolmentRequired enrolment) {
      return Json.response(StatusCodes.OK, signedIn(enrolment.token(), enrolment.claims(), enrolment.user(), "enrolment-required"));
    }
    if (result instanceof AuthService.Locked locked) {
      long seconds = Math.max(1, locked.retryAfter().toSeconds());
      return Problems.of(StatusCodes.TOO_MANY_REQUESTS, "Account locked",
              "too many failed sign-ins; try again in " + seconds + " seconds")
          .addHeader(RetryAfter.create(seconds));
    }
    if (result instanceof AuthService.SecondFactorRequired) {
      return Problems.of(StatusCodes.UNAUTHORIZED, "Second factor required",
          "send the 6-digit code from your authenticator app as totp", "totp");
    }
    return Problems.of(StatusCodes.UNAUTHORIZED, "Invalid credentials", "the e-mail or password is wrong");
  }

  /** Sign-ins of known accounts go to their tenant's trail; attempts on unknown e-mails have no tenant to go to. */
  private CompletionStage<AuthService.LoginResult> auditLogin(String email, AuthService.LoginResult result) {
    if (result instanceof AuthService.Success success) {
      return record(success.user().tenantId(), "user:" + success.user().userId(), "auth.signed-in",
          "user:" + success.user().userId(), Map.of("secondFactor", success.user().mfaEnrolled()))
          .thenApply(entry -> result);
    }
    if (result instanceof AuthService.MfaEnrolmentRequired enrolment) {
      return record(enrolment.user().tenantId(), "user:" + enrolment.user().userId(), "auth.signed-in",
          "user:" + enrolment.user().userId(), Map.of("secondFactor", "enrolment-required"))
          .thenApply(entry -> result);
    }
    String outcome = result instanceof AuthService.Locked ? "locked" : result instanceof AuthService.SecondFactorRequired
        ? "second-factor-missing" : "invalid-credentials";
    return users.findByEmail(email).thenCompose(user -> user.isEmpty()
        ? CompletableFuture.completedFuture(result)
        : record(user.get().tenantId(), "user:" + user.get().userId(), "auth.sign-in-refused",
            "user:" + user.get().userId(), Map.of("reason", outcome)).thenApply(entry -> result));
  }

  private static Map<String, Object> signedIn(String token, Claims claims, User user, String secondFactor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", token);
    body.put("tokenType", "Bearer");
    body.put("expiresAt", claims.expiresAt());
    body.put("secondFactor", secondFactor);
    body.put("user", userView(user));
    return body;
  }

  /**
   * A person replaces the password they were given (or a compromised one): the current one is required, the new one
   * must pass the policy, and every other session of theirs ends.
   */
  private Route changePassword(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String current = Json.requiredText(body, "currentPassword", 1024);
      String next = Json.requiredText(body, "newPassword", 1024);
      Claims claims = claims(call);
      CompletionStage<HttpResponse> changed = auth.isCurrentPassword(claims, current).thenCompose(matches -> {
        if (!matches) {
          return CompletableFuture.completedFuture(
              Problems.of(StatusCodes.BAD_REQUEST, "Wrong password", "currentPassword is not your current password",
                  "currentPassword"));
        }
        return auth.hashNewPassword(next).thenCompose(hashed -> {
          if (hashed instanceof AuthService.PasswordRejected rejected) {
            return CompletableFuture.completedFuture(Problems.badRequest("newPassword", rejected.reason()));
          }
          String hash = ((AuthService.PasswordAccepted) hashed).hash();
          return jdbc.transaction(connection -> {
            if (!users.changePassword(connection, claims.tenantId(), claims.userId(), hash, claims.sessionId())) {
              return Problems.notFound("no such user");
            }
            AuditLog.append(connection, new AuditLog.NewEntry(claims.tenantId(), call.principal().actor(),
                "auth.password-changed", "user:" + claims.userId(), Map.of()), clock.instant());
            return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
          });
        });
      });
      return onSuccess(changed, this::complete);
    });
  }

  // ---- the team ----

  private Route createUser(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String email = Json.requiredText(body, "email", 254).toLowerCase();
      if (!EMAIL.matcher(email).matches()) throw new InvalidInput("email", "email must be an e-mail address");
      String name = Json.requiredText(body, "name", 200);
      Role role = Json.role(body, "role");
      String password = Json.requiredText(body, "password", 1024);
      String tenantId = call.tenant().id();
      String userId = UUID.randomUUID().toString();
      CompletionStage<HttpResponse> created = auth.hashNewPassword(password).thenCompose(hashed -> {
        if (hashed instanceof AuthService.PasswordRejected rejected) {
          return CompletableFuture.completedFuture(Problems.badRequest("password", rejected.reason()));
        }
        String hash = ((AuthService.PasswordAccepted) hashed).hash();
        return jdbc.transaction(connection -> {
          UserStore.CreateOutcome outcome =
              users.create(connection, new UserStore.NewUser(tenantId, userId, email, name, role, hash));
          if (outcome instanceof UserStore.Created done) {
            AuditLog.append(connection, new AuditLog.NewEntry(tenantId, call.principal().actor(), "access.user-created",
                "user:" + userId, Map.of("role", role.displayName())), clock.instant());
            return Json.response(StatusCodes.CREATED, userView(done.user()));
          }
          return Problems.of(StatusCodes.CONFLICT, "E-mail taken", "a user with this e-mail already exists");
        });
      });
      return onSuccess(created, this::complete);
    });
  }

  private Route changeRole(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      Role role = Json.role(Json.object(raw), "role");
      String tenantId = call.tenant().id();
      String userId = call.variable("user");
      CompletionStage<HttpResponse> changed = jdbc.transaction(connection -> {
        Optional<UserStore.RoleChange> change = users.changeRole(connection, tenantId, userId, role);
        if (change.isEmpty()) return Problems.notFound("no such user");
        if (change.get().previousRole() != role) {
          AuditLog.append(connection, new AuditLog.NewEntry(tenantId, call.principal().actor(), "access.role-changed",
              "user:" + userId, Map.of("from", change.get().previousRole().displayName(), "to", role.displayName())),
              clock.instant());
        }
        return Json.response(StatusCodes.OK, userView(change.get().user()));
      });
      return onSuccess(changed, this::complete);
    });
  }

  private Route removeUser(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String userId = call.variable("user");
    CompletionStage<HttpResponse> removed = jdbc.transaction(connection -> {
      Optional<User> disabled = users.disable(connection, tenantId, userId);
      if (disabled.isEmpty()) return Problems.notFound("no such user");
      AuditLog.append(connection, new AuditLog.NewEntry(tenantId, call.principal().actor(), "access.revoked",
          "user:" + userId, Map.of("role", disabled.get().role().displayName())), clock.instant());
      return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    });
    return onSuccess(removed, this::complete);
  }

  static Map<String, Object> userView(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", user.userId());
    view.put("email", user.email());
    view.put("name", user.name());
    view.put("role", user.role().displayName());
    view.put("status", user.status().name().toLowerCase());
    view.put("mfaEnrolled", user.mfaEnrolled());
    view.put("lockedUntil", user.lockedUntil());
    view.put("createdAt", user.createdAt());
    return view;
  }

  // ---- audit ----

  private CompletionStage<AuditLog.Entry> audit(ApiRouter.Call call, String action) {
    return record(claims(call).tenantId(), call.principal().actor(), action, "user:" + claims(call).userId(), Map.of());
  }

  private CompletionStage<AuditLog.Entry> record(String tenantId, String actor, String action, String subject, Map<String, ?> details) {
    Instant at = clock.instant();
    return jdbc.async(connection -> AuditLog.append(connection, new AuditLog.NewEntry(tenantId, actor, action, subject, details), at));
  }
}
