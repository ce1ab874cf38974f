package io.flexoraa.http;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;

/**
 * {@code flexoraa.razorpay}: the keys (from RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET), the API's
 * base URL (RAZORPAY_API_URL) and the limits of its calls. Empty keys mean "not configured": the engine starts and
 * the top-up endpoints answer 503.
 */
record RazorpaySettings(
    String keyId, String keySecret, String webhookSecret, URI apiUrl, Duration requestTimeout, int clientThreads,
    long webhookMaxBytes) {

  static RazorpaySettings fromConfig(Config config) {
    Config razorpay = config.getConfig("flexoraa.razorpay");
    URI apiUrl = URI.create(razorpay.getString("api-url").trim());
    if (!"https".equals(apiUrl.getScheme()) && !"http".equals(apiUrl.getScheme()) || apiUrl.getHost() == null) {
      throw new IllegalArgumentException("flexoraa.razorpay.api-url (RAZORPAY_API_URL) must be an http(s) URL: " + apiUrl);
    }
    return new RazorpaySettings(
        razorpay.getString("key-id").trim(),
        razorpay.getString("key-secret").trim(),
        razorpay.getString("webhook-secret").trim(),
        apiUrl,
        razorpay.getDuration("request-timeout"),
        razorpay.getInt("client-threads"),
        razorpay.getBytes("webhook-max-bytes"));
  }

  /** Orders and client confirmations need the key pair. */
  boolean paymentsConfigured() {
    return !keyId.isEmpty() && !keySecret.isEmpty();
  }

  boolean webhookConfigured() {
    return !webhookSecret.isEmpty();
  }

  /** Never the secrets, whatever logs the settings. */
  @Override
  public String toString() {
    return "RazorpaySettings[keyId=" + keyId + ", apiUrl=" + apiUrl + ", keySecret=" + (keySecret.isEmpty() ? "unset" : "set")
        + ", webhookSecret=" + (webhookSecret.isEmpty() ? "unset" : "set") + "]";
  }
}
