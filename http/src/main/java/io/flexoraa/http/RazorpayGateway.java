package io.flexoraa.http;

import com.razorpay.Order;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import com.razorpay.Utils;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.json.JSONObject;

/**
 * Razorpay's API through its own Java client (razorpay-java): orders, and the check of a payment's signature.
 *
 * <p>razorpay-java 1.4.10 cannot be given a base URL: {@code https://api.razorpay.com} is a compile-time constant in
 * its {@code ApiUtils}, and every {@link RazorpayClient} shares one static OkHttp client. So this class gives that
 * static client one more interceptor (built from the library's own client, which keeps its TLS settings) that sends
 * the calls this gateway makes to {@code flexoraa.razorpay.api-url} with this gateway's time-out. The target travels
 * in a thread-local set around each call, so two engines in one JVM (tests) each reach their own Razorpay and calls
 * made by anything else go through unchanged. Request building, authentication and response parsing remain the
 * library's. If a release of the library drops the field, the engine refuses to start with a message that says so.
 */
final class RazorpayGateway {
  private static final ThreadLocal<Target> TARGET = new ThreadLocal<>();
  private static boolean redirecting;

  /** Where and how long one call goes. {@code pathPrefix} is the API URL's path, "" for a bare host. */
  private record Target(HttpUrl base, String pathPrefix, Duration timeout) {}

  /** What Razorpay answered for a new order; {@code amount} in minor units. */
  record CreatedOrder(String id, long amount, String currency, String status) {}

  /**
   * A call Razorpay refused or did not answer. {@code unreachable}: no HTTP answer at all (connection, time-out).
   * The message is Razorpay's own description, safe to log: it names fields, never secrets.
   */
  static final class GatewayException extends RuntimeException {
    private final boolean unreachable;

    GatewayException(String message, boolean unreachable) {
      super(message, null, false, false);
      this.unreachable = unreachable;
    }

    boolean unreachable() {
      return unreachable;
    }
  }

  private final RazorpayClient client;
  private final String keySecret;
  private final Target target;
  private final Executor executor;

  RazorpayGateway(String keyId, String keySecret, URI apiUrl, Duration requestTimeout, Executor executor) {
    try {
      this.client = new RazorpayClient(keyId, keySecret);
    } catch (RazorpayException e) {
      throw new IllegalStateException("razorpay-java could not start its HTTP client: " + e.getMessage(), e);
    }
    this.keySecret = keySecret;
    this.target = target(apiUrl, requestTimeout);
    this.executor = executor;
    redirectLibraryCalls();
  }

  private static Target target(URI apiUrl, Duration timeout) {
    HttpUrl base = HttpUrl.parse(apiUrl.toString());
    if (base == null || apiUrl.getRawQuery() != null || apiUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("flexoraa.razorpay.api-url must be an http(s) URL without query: " + apiUrl);
    }
    String path = base.encodedPath();
    return new Target(base, path.endsWith("/") ? path.substring(0, path.length() - 1) : path, timeout);
  }

  /**
   * Creates an order at Razorpay ({@code POST /v1/orders}). Runs the library's blocking call on this gateway's
   * executor; fails with {@link GatewayException}.
   */
  CompletionStage<CreatedOrder> createOrder(long amount, String currency, String receipt, Map<String, String> notes) {
    JSONObject request = new JSONObject()
        .put("amount", amount)
        .put("currency", currency)
        .put("receipt", receipt)
        .put("notes", new JSONObject(notes));
    return CompletableFuture.supplyAsync(() -> {
      TARGET.set(target);
      try {
        JSONObject order = client.orders.create(request).toJson();
        return new CreatedOrder(order.getString("id"), order.getLong("amount"), order.getString("currency"),
            order.optString("status", null));
      } catch (RazorpayException e) {
        throw new CompletionException(new GatewayException(describe(e), e.getStatusCode() == 0));
      } catch (RuntimeException unexpectedAnswer) {
        throw new CompletionException(new GatewayException(
            "Razorpay's answer could not be read: " + unexpectedAnswer.getClass().getSimpleName(), false));
      } finally {
        TARGET.remove();
      }
    }, executor);
  }

  /**
   * Checkout's proof that {@code paymentId} paid {@code orderId}: HMAC-SHA256 of "orderId|paymentId" under the key
   * secret, checked by razorpay-java (offline, constant time). Ids must be ASCII (the library hashes in the platform
   * charset); the routes only pass ids matching {@code [A-Za-z0-9_]}.
   */
  boolean paymentSignatureValid(String orderId, String paymentId, String signature) {
    try {
      return Utils.verifyPaymentSignature(new JSONObject()
          .put("razorpay_order_id", orderId)
          .put("razorpay_payment_id", paymentId)
          .put("razorpay_signature", signature), keySecret);
    } catch (RazorpayException e) {
      return false;
    }
  }

  private static String describe(RazorpayException e) {
    String description = e.getStatusCode() == 0 ? e.getMessage() : e.getDescription();
    return (e.getStatusCode() == 0 ? "no answer" : "HTTP " + e.getStatusCode()) + ": "
        + (description == null ? "no description" : description);
  }

  /** Once per JVM: the library's shared OkHttp client, plus {@link #redirect}. */
  private static synchronized void redirectLibraryCalls() {
    if (redirecting) return;
    try {
      Field field = Class.forName("com.razorpay.ApiUtils").getDeclaredField("client");
      field.setAccessible(true);
      okhttp3.OkHttpClient library = (okhttp3.OkHttpClient) field.get(null);
      if (library == null) throw new IllegalStateException("ApiUtils.client is not initialised");
      field.set(null, library.newBuilder().addInterceptor(RazorpayGateway::redirect).build());
      redirecting = true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("razorpay-java's HTTP client could not be pointed at flexoraa.razorpay.api-url "
          + "(has the library changed? see docs/decisions/0016-razorpay-top-ups.md): " + e, e);
    }
  }

  private static Response redirect(Interceptor.Chain chain) throws IOException {
    Target target = TARGET.get();
    Request request = chain.request();
    if (target == null) return chain.proceed(request);
    HttpUrl url = request.url().newBuilder()
        .scheme(target.base().scheme())
        .host(target.base().host())
        .port(target.base().port())
        .encodedPath(target.pathPrefix() + request.url().encodedPath())
        .build();
    int millis = Math.toIntExact(target.timeout().toMillis());
    return chain
        .withConnectTimeout(millis, TimeUnit.MILLISECONDS)
        .withReadTimeout(millis, TimeUnit.MILLISECONDS)
        .withWriteTimeout(millis, TimeUnit.MILLISECONDS)
        .proceed(request.newBuilder().url(url).build());
  }
}
