package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.persistence.directory.JdbcChannelCredentials;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code PUT /api/v1/tenants/{t}/channel-accounts/{channel}/{id}/credentials} {"accessToken"}: the Graph API token the
 * engine sends with on that account. Stored encrypted and audited in one transaction; the token is never returned,
 * never logged and never named in a problem, so a typo in it cannot leak it either.
 */
final class ChannelCredentialRoutes extends AllDirectives {
  static final String FIELD = "accessToken";
  /** Meta's tokens are long printable ASCII without spaces (EAA..., IGAA...); this bounds what is stored. */
  private static final int MAX_TOKEN_LENGTH = 4096;
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

  private final JdbcChannelCredentials credentials;

  ChannelCredentialRoutes(JdbcChannelCredentials credentials) {
    this.credentials = credentials;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.STORE_CHANNEL_CREDENTIALS, this::store);
    return handlers;
  }

  private Route store(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      String token = accessToken(Json.object(raw), true);
      String channel = call.variable("channel");
      String account = call.variable("account");
      if (!ApiRoutes.CHANNELS.contains(channel)) return complete(Problems.notFound("no such channel account"));
      return onSuccess(credentials.store(call.tenant().id(), channel, account, token, call.principal().actor()),
          stored -> stored
              ? complete(StatusCodes.NO_CONTENT)
              : complete(Problems.notFound("no " + channel + " account " + account + " is registered to this tenant")));
    });
  }

  /** The token in the body, validated; null when absent and not {@code required}. Problems never quote it. */
  static String accessToken(JsonNode body, boolean required) {
    String token = required ? Json.requiredText(body, FIELD, MAX_TOKEN_LENGTH)
        : Json.optionalText(body, FIELD, MAX_TOKEN_LENGTH);
    return token == null ? null
        : Json.matching(FIELD, token, TOKEN, "must be the access token Meta issued (printable characters, no spaces)");
  }
}
