package io.flexoraa.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Razorpay's {@code X-Razorpay-Signature}: HMAC-SHA256 of the raw body bytes under the webhook secret, as lowercase
 * hex, compared in constant time. Computed on the bytes as received, never on a re-encoded string (razorpay-java's
 * own check takes a String and hashes it in the platform charset, which breaks on a non-ASCII body under a non-UTF-8
 * locale).
 */
final class RazorpayWebhookSignature {
  private final ThreadLocal<Mac> mac;

  RazorpayWebhookSignature(String webhookSecret) {
    if (webhookSecret == null || webhookSecret.isEmpty()) throw new IllegalArgumentException("the webhook secret is empty");
    SecretKeySpec key = new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
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

  boolean verify(byte[] body, String header) {
    if (header == null) return false;
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(header.trim().toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException notHex) {
      return false;
    }
    return MessageDigest.isEqual(mac.get().doFinal(body), expected);
  }

  String sign(byte[] body) {
    return HexFormat.of().formatHex(mac.get().doFinal(body));
  }
}
