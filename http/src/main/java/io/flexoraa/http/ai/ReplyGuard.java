package io.flexoraa.http.ai;

import io.flexoraa.engine.ai.ConversationTurn;
import io.flexoraa.engine.ai.MalformedAnswer;
import io.flexoraa.engine.ai.ReplyRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check a generated reply passes before a lead may read it (PRODUCT §5: the AI never states a fact it was not
 * given). The facts a model invents are mostly numbers (a price, a discount, "500 happy customers") and links, so
 * every number and link in the reply must appear in the tenant's profile or in what the lead and the team wrote.
 * It errs on the safe side: a reply failing it is replaced by the built-in engine's approved wording.
 */
final class ReplyGuard {
  private static final Pattern NUMBER = Pattern.compile("\\p{Nd}+(?:[.,]\\p{Nd}+)*");
  private static final Pattern LINK = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>()\\[\\]\"']+");

  private ReplyGuard() {}

  static String check(String reply, ReplyRequest request) {
    if (reply == null || reply.isBlank()) throw new MalformedAnswer("the reply is empty");
    StringBuilder given = new StringBuilder(Prompts.facts(request.profile(), request.language()));
    given.append('\n').append(request.inbound() == null ? "" : request.inbound());
    for (ConversationTurn turn : request.context()) given.append('\n').append(turn.text());
    for (String memory : request.memories()) given.append('\n').append(memory);
    String allowed = given.toString();
    Set<String> allowedNumbers = numbers(allowed);
    for (String number : numbers(reply)) {
      if (!allowedNumbers.contains(number)) throw new MalformedAnswer("the reply states a number the tenant never gave");
    }
    for (String link : links(reply)) {
      if (!allowed.contains(link)) throw new MalformedAnswer("the reply links somewhere the tenant never gave");
    }
    return reply.strip();
  }

  /** Numbers as values: "1,49,999", "149999" and "149999.00" are one number; any script's digits count. */
  static Set<String> numbers(String text) {
    Set<String> found = new HashSet<>();
    Matcher matcher = NUMBER.matcher(text);
    while (matcher.find()) found.add(normalize(matcher.group()));
    return found;
  }

  private static String normalize(String number) {
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if (c == ',') continue;
      digits.append(c == '.' ? '.' : Character.forDigit(Character.digit(c, 10), 10));
    }
    String plain = digits.toString();
    // "4.8." at a sentence's end, "1499.00" in a price
    if (plain.contains(".")) plain = plain.replaceAll("\\.?0*$", "").replaceAll("\\.$", "");
    String trimmed = plain.replaceFirst("^0+(?=\\d)", "");
    return trimmed.isEmpty() ? "0" : trimmed;
  }

  private static List<String> links(String text) {
    return LINK.matcher(text).results().map(match -> match.group().replaceAll("[.,;:!?]+$", "")).toList();
  }
}
