package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Known-answer tests: published HMAC-SHA256 vectors in the {@code sha256=<hex>} header format Meta uses. */
class WebhookSignatureTest {

  @Test
  void acceptsThePublishedVector() {
    // GitHub's documented test vector: same algorithm and header format as Meta's X-Hub-Signature-256
    WebhookSignature signature = new WebhookSignature("It's a Secret to Everybody");
    byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assertThat(signature.verify(body, expected)).isTrue();
    assertThat(signature.verify(body, expected.toUpperCase().replace("SHA256=", "sha256="))).isTrue();
    assertThat(signature.sign(body)).isEqualTo(expected);
  }

  @Test
  void verifiesTheRawBytesAsSentNotAReEncodedString() {
    // Meta signs the body with non-ASCII escaped as \\uXXXX; the same text sent as UTF-8 has another signature
    WebhookSignature signature = new WebhookSignature("YOUR_APP_SECRET");
    String escaped = "Let's pretend this body is equal to the message object and can handle unicode characters like "
        + "\\u307f\\u3069\\u308a\\u3044\\u308d and J'ai mang\\u00e9 des p\\u00e2tes";
    String header = "sha256=0363007aabdf1ab579f35936651a460fb5fa1aaf40df98b1264446b72cc96688";
    assertThat(signature.verify(escaped.getBytes(StandardCharsets.US_ASCII), header)).isTrue();
    String decoded = "Let's pretend this body is equal to the message object and can handle unicode characters like "
        + "みどりいろ and J'ai mangé des pâtes";
    assertThat(signature.verify(decoded.getBytes(StandardCharsets.UTF_8), header)).isFalse();
  }

  @Test
  void refusesMissingMalformedAndOtherAlgorithmHeaders() {
    WebhookSignature signature = new WebhookSignature("secret");
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String good = signature.sign(body);
    assertThat(signature.verify(body, null)).isFalse();
    assertThat(signature.verify(body, "")).isFalse();
    assertThat(signature.verify(body, good.substring("sha256=".length()))).isFalse();
    assertThat(signature.verify(body, "sha1=" + good.substring("sha256=".length()))).isFalse();
    assertThat(signature.verify(body, "sha256=zz")).isFalse();
    assertThat(signature.verify(body, good.substring(0, good.length() - 2))).isFalse();
    assertThat(signature.verify("{ }".getBytes(StandardCharsets.UTF_8), good)).isFalse();
  }
}
