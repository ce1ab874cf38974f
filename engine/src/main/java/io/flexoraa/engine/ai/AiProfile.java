package io.flexoraa.engine.ai;

import io.flexoraa.engine.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a tenant tells the AI about its business (PUT /api/v1/tenants/{t}/ai-profile): the only facts a reply may
 * state. A reply never names a product, price or proof point that is not here.
 *
 * @param business the business's name as leads should read it
 * @param description one or two sentences: what it sells, to whom, where
 * @param products what it sells, with prices when the tenant wants them quoted
 * @param proofPoints social proof and authority the tenant vouches for ("4.8★ from 2,000 buyers")
 * @param tone how replies sound: {@code friendly}, {@code formal}, {@code enthusiastic}, ...
 * @param faq questions and their approved answers, served without an AI call
 * @param competitors competitor brands a lead may name (escalates; PRODUCT §4.5)
 * @param replyTemplates per language code, the tenant's own wording by template key (see ReplyComposer's keys);
 *     a key missing here falls back to the built-in wording
 * @param bookingLink where a lead can book a call itself, or null
 * @param defaultLanguage the language to reply in when the lead's has no templates (ISO 639-1)
 * @param updatedAt when the profile was last changed (set by the store)
 */
public record AiProfile(
    String business, String description, List<Product> products, List<String> proofPoints, String tone,
    List<Faq> faq, List<String> competitors, Map<String, Map<String, String>> replyTemplates, String bookingLink,
    String defaultLanguage, Instant updatedAt)
    implements CborSerializable {

  public AiProfile {
    products = products == null ? List.of() : List.copyOf(products);
    proofPoints = proofPoints == null ? List.of() : List.copyOf(proofPoints);
    faq = faq == null ? List.of() : List.copyOf(faq);
    competitors = competitors == null ? List.of() : List.copyOf(competitors);
    replyTemplates = replyTemplates == null ? Map.of() : Map.copyOf(replyTemplates);
    if (defaultLanguage == null || defaultLanguage.isBlank()) defaultLanguage = "en";
    if (tone == null || tone.isBlank()) tone = "friendly";
  }

  /** A tenant that has not written a profile yet: replies use only the built-in wording and state no facts. */
  public static AiProfile empty() {
    return new AiProfile(null, null, List.of(), List.of(), null, List.of(), List.of(), Map.of(), null, "en", null);
  }

  /** A product or service; {@code price} and {@code currency} both set or both null; {@code unit} e.g. "per month". */
  public record Product(String name, String description, BigDecimal price, String currency, String unit)
      implements CborSerializable {}

  /** An approved answer; {@code language} null means any. */
  public record Faq(String question, String answer, String language) implements CborSerializable {}
}
