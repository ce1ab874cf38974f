package io.flexoraa.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's {@code X-Hub-Signature-256}: HMAC-SHA256 of the raw body bytes under the app secret, compared in constant
 * time. Verified before the body is parsed, so an unsigned payload costs nothing and changes nothing.
 */
public final class WebhookSignature {
  private static final String PREFIX = "sha256=";
  private final ThreadLocal<Mac> mac;

  public WebhookSignature(String appSecret) {
    if (appSecret == null || appSecret.isEmpty()) throw new IllegalArgumentException("the app secret is empty");
    SecretKeySpec key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.mac = ThreadLocal.withInitial(() -> {
      try {
        Mac instance = Mac.getInstance("HmacSHA256");
        instance.init(key);
        return instance;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    });
  }

  public boolean verify(byte[] body, String header) {
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) return false;
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim().toLowerCase());
    } catch (IllegalArgumentException notHex) {
      return false;
    }
    byte[] actual = mac.get().doFinal(body);
    return MessageDigest.isEqual(actual, expected);
  }

  public String sign(byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac.get().doFinal(body));
  }
}
