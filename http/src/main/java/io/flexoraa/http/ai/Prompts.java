package io.flexoraa.http.ai;

import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.ReplyRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompts of one version ({@code flexoraa/ai/prompts/<version>/} on the classpath): texts, not code, so that a
 * new wording is a new folder and the model card can name the version its figures were measured with. A missing
 * file stops the engine at start, not at the first lead.
 */
public final class Prompts {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
  private static final String NONE = "(none given: do not mention any)";

  private final String version;
  private final String analyzeSystem;
  private final String analyzeUser;
  private final String replySystem;
  private final Properties replyParts;

  private Prompts(String version, String analyzeSystem, String analyzeUser, String replySystem, Properties replyParts) {
    this.version = version;
    this.analyzeSystem = analyzeSystem;
    this.analyzeUser = analyzeUser;
    this.replySystem = replySystem;
    this.replyParts = replyParts;
  }

  public static Prompts load(String version) {
    String folder = "flexoraa/ai/prompts/" + version + "/";
    Properties parts = new Properties();
    try (Reader reader = new InputStreamReader(open(folder + "reply-parts.properties"), StandardCharsets.UTF_8)) {
      parts.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Prompts prompts = new Prompts(version, text(folder + "analyze-system.txt"), text(folder + "analyze-user.txt"),
        text(folder + "reply-system.txt"), parts);
    for (ReplyRequest.Kind kind : ReplyRequest.Kind.values()) prompts.part("kind." + kind.name());
    for (ReplyRequest.Slot slot : ReplyRequest.Slot.values()) prompts.part("slot." + slot.name());
    for (String band : List.of("HOT", "WARM", "COLD", "none")) prompts.part("strategy." + band);
    return prompts;
  }

  public String version() {
    return version;
  }

  public String analyzeSystem() {
    return analyzeSystem;
  }

  public String analyzeUser(AnalysisRequest request) {
    return render(analyzeUser, Map.of(
        "today", request.today().toString(),
        "channel", request.channel() == null ? "unknown" : request.channel(),
        "competitors", request.competitors().isEmpty() ? "(none listed)" : String.join(", ", request.competitors()),
        "text", request.text()));
  }

  /** The system message of a reply: the tenant's facts and nothing else, the task, the band's strategy, the language. */
  public String replySystem(ReplyRequest request) {
    AiProfile profile = request.profile();
    String task = part("kind." + request.kind().name());
    if (request.slot() != null) task = task.replace("{{slot}}", part("slot." + request.slot().name()));
    String band = request.band() == null ? "none" : request.band().toUpperCase(Locale.ROOT);
    String strategy = replyParts.getProperty("strategy." + band, part("strategy.none"));
    return render(replySystem, Map.of(
        "business", blankOr(profile.business(), "the business"),
        "tone", profile.tone(),
        "facts", facts(profile, request.language()),
        "task", task,
        "strategy", strategy,
        "language", language(request.language(), request.hinglish())));
  }

  /** The profile as the model reads it; also what a reply's numbers and links are checked against. */
  static String facts(AiProfile profile, String language) {
    List<String> lines = new ArrayList<>();
    lines.add("Business: " + blankOr(profile.business(), NONE));
    lines.add("About: " + blankOr(profile.description(), NONE));
    if (profile.products().isEmpty()) {
      lines.add("Products and prices: " + NONE);
    } else {
      lines.add("Products and prices:");
      for (AiProfile.Product product : profile.products()) {
        StringBuilder line = new StringBuilder("- ").append(product.name());
        if (product.description() != null && !product.description().isBlank()) line.append(": ").append(product.description());
        if (product.price() != null) {
          line.append(" (").append(product.currency()).append(' ').append(product.price().toPlainString());
          if (product.unit() != null && !product.unit().isBlank()) line.append(' ').append(product.unit());
          line.append(')');
        } else {
          line.append(" (no price to quote)");
        }
        lines.add(line.toString());
      }
    }
    lines.add(profile.proofPoints().isEmpty()
        ? "Proof points: " + NONE
        : "Proof points:\n- " + String.join("\n- ", profile.proofPoints()));
    List<AiProfile.Faq> faq = profile.faq().stream()
        .filter(entry -> entry.language() == null || entry.language().equalsIgnoreCase(language)).toList();
    if (!faq.isEmpty()) {
      lines.add("Approved answers:");
      for (AiProfile.Faq entry : faq) lines.add("- Q: " + entry.question() + "\n  A: " + entry.answer());
    }
    lines.add("Booking link: " + blankOr(profile.bookingLink(), NONE));
    return String.join("\n", lines);
  }

  /** "Hinglish (...)" or the language's English name, so the model is told in words, not a code. */
  static String language(String code, boolean hinglish) {
    if (hinglish) return "Hinglish: Hindi written in Latin letters, mixed with English, as the lead writes";
    if (code == null || code.isBlank()) return "the lead's language";
    String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
    return name.isBlank() || name.equalsIgnoreCase(code) ? "the language with ISO 639-1 code " + code : name;
  }

  private String part(String key) {
    String value = replyParts.getProperty(key);
    if (value == null) throw new IllegalStateException("prompt version " + version + " has no " + key);
    return value;
  }

  /** One pass: a value (the lead's text) that itself contains {{...}} is never expanded. */
  private static String render(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String blankOr(String value, String otherwise) {
    return value == null || value.isBlank() ? otherwise : value;
  }

  private static InputStream open(String path) {
    InputStream stream = Prompts.class.getClassLoader().getResourceAsStream(path);
    if (stream == null) throw new IllegalStateException("missing prompt resource " + path);
    return stream;
  }

  private static String text(String path) {
    try (InputStream stream = open(path)) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
