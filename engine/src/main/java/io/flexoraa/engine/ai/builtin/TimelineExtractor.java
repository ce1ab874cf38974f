package io.flexoraa.engine.ai.builtin;

import static io.flexoraa.engine.ai.builtin.Amounts.B;
import static io.flexoraa.engine.ai.builtin.Amounts.E;
import static io.flexoraa.engine.ai.builtin.NormalizedText.pattern;

import io.flexoraa.engine.ai.builtin.TimelinePhrases.Hit;
import io.flexoraa.engine.ai.builtin.TimelinePhrases.Kind;
import io.flexoraa.engine.ai.builtin.TimelinePhrases.Precision;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds when the lead means to buy or start, as IMMEDIATE, 1-3MO, 3-6MO or EXPLORING counted from {@code today}
 * (issue 6; conventions in {@code ../shared/eval/README.md}).
 *
 * <p>{@link TimelinePhrases} reads every timing phrase; this class decides which one is the lead's purchase
 * timeline, in this order: paying or booking now (IMMEDIATE, even for a later trip); else the earliest purchase or
 * start date or urgency the lead states; else a "now" beside doing something; else "just looking" / "no hurry"
 * (EXPLORING); else the date of a meeting, call, visit or demo the lead asks for. Phrases that time something else
 * are dropped: a complaint or support
 * request (an order that is late, a login that fails, "where is my voucher"), the past ("since Monday", "last
 * Saturday", "kal bheja tha"), our replies and documents ("send the quote by tomorrow"), what the seller said ("you
 * said next week"), our results ("how many followers in a month"), and a bare "now" that is not about doing
 * something ("hard to justify right now").
 *
 * <p>Bands: within 14 days IMMEDIATE (a named month counts by month: this month is IMMEDIATE), then by calendar
 * month — up to 3 months on 1-3MO, up to 6 on 3-6MO, later EXPLORING; a bare "next year" is EXPLORING.
 */
public final class TimelineExtractor {
  public static final String IMMEDIATE = "IMMEDIATE";
  public static final String ONE_TO_THREE_MONTHS = "1-3MO";
  public static final String THREE_TO_SIX_MONTHS = "3-6MO";
  public static final String EXPLORING = "EXPLORING";

  private static final List<String> ORDER = List.of(IMMEDIATE, ONE_TO_THREE_MONTHS, THREE_TO_SIX_MONTHS, EXPLORING);
  private static final int IMMEDIATE_DAYS = 14;

  private final TimelinePhrases phrases;

  /** With the festival dates of the engine's reference.conf. */
  public TimelineExtractor() {
    this(Festivals.defaults());
  }

  public TimelineExtractor(Festivals festivals) {
    this.phrases = new TimelinePhrases(festivals);
  }

  /** The timeline the text states, or empty when it says nothing about timing. Never throws. */
  public Optional<String> extract(String text, LocalDate today) {
    if (text == null || text.isBlank() || today == null) return Optional.empty();
    String folded = NormalizedText.of(text).text();
    boolean support = SUPPORT.matcher(folded).find();
    boolean transact = false;
    boolean explore = false;
    String purchase = null;
    String weak = null;
    String meeting = null;
    for (Hit hit : phrases.find(folded, today)) {
      if (hit.kind() == Kind.TRANSACT) {
        transact = true;
        continue;
      }
      if (support) continue; // a late order's "next week" is not a purchase timeline
      if (hit.kind() == Kind.EXPLORE) {
        explore = true;
        continue;
      }
      String clause = clause(folded, hit);
      String before = folded.substring(clauseStart(folded, hit.start()), hit.start());
      String after = folded.substring(hit.end(), clauseEnd(folded, hit.end()));
      if (PAST_BEFORE.matcher(before).find() || PAST_AFTER.matcher(after).lookingAt()) continue;
      if (YESTERDAY_WORDS.matcher(folded.substring(hit.start(), hit.end())).matches()
          && PAST_VERB.matcher(after).find()) {
        continue; // "kal" is yesterday too: "kal bheja tha"
      }
      if (QUOTED.matcher(before).find() || OURS.matcher(before).find()) continue;
      if (hit.kind() == Kind.DURATION && PERFORMANCE.matcher(clause).find()) continue;
      if (hit.kind() == Kind.WEAK && (!ACTION.matcher(clause).find() || NEGATION.matcher(clause).find())) continue;
      LocalDate date = hit.ifNegated() != null && NEGATION.matcher(before).find() ? hit.ifNegated() : hit.date();
      String band = hit.category() != null ? hit.category() : bandOf(date, hit.precision(), today);
      if (band == null) continue;
      if (MEETING.matcher(clause).find()) meeting = earlier(meeting, band);
      else if (hit.kind() == Kind.WEAK) weak = earlier(weak, band);
      else purchase = earlier(purchase, band);
    }
    if (transact) return Optional.of(IMMEDIATE);
    if (purchase != null) return Optional.of(purchase);
    if (weak != null) return Optional.of(weak);
    if (explore) return Optional.of(EXPLORING);
    return Optional.ofNullable(meeting);
  }

  /** The band of a day or month counted from {@code today}; null for the past. */
  static String bandOf(LocalDate date, Precision precision, LocalDate today) {
    if (date == null) return null;
    long months = ChronoUnit.MONTHS.between(today.withDayOfMonth(1), date.withDayOfMonth(1));
    if (precision == Precision.DAY) {
      if (date.isBefore(today)) return null;
      if (ChronoUnit.DAYS.between(today, date) <= IMMEDIATE_DAYS) return IMMEDIATE;
    } else {
      if (months < 0) return null;
      if (months == 0) return IMMEDIATE;
    }
    if (months <= 3) return ONE_TO_THREE_MONTHS;
    if (months <= 6) return THREE_TO_SIX_MONTHS;
    return EXPLORING;
  }

  private static String earlier(String current, String candidate) {
    if (current == null) return candidate;
    return ORDER.indexOf(candidate) < ORDER.indexOf(current) ? candidate : current;
  }

  private static String clause(String text, Hit hit) {
    return text.substring(clauseStart(text, hit.start()), clauseEnd(text, hit.end()));
  }

  private static int clauseStart(String text, int at) {
    for (int i = at - 1; i >= 0; i--) if (isBreak(text.charAt(i))) return i + 1;
    return 0;
  }

  private static int clauseEnd(String text, int at) {
    for (int i = at; i < text.length(); i++) if (isBreak(text.charAt(i))) return i;
    return text.length();
  }

  private static boolean isBreak(char c) {
    return c == ',' || c == '.' || c == ';' || c == '!' || c == '?' || c == '\n' || c == '|';
  }


  /** A complaint or support request about something already bought. */
  private static final Pattern SUPPORT = pattern(B + "(?:not working|isn't working|doesn't work|does not work|"
      + "stopped working|not received|haven't received|have not received|didn't receive|did not receive|"
      + "still waiting|still not|no confirmation|no response|no reply|no update|where is my|where's my|"
      + "where is the (?:order|parcel|refund|voucher|delivery|invoice|ticket)|late|delayed|delay|refund\\p{L}*|"
      + "complain\\p{L}*|cancel (?:kar|my|the|booking|order)|booking cancel|order cancel|cancelled|canceled|"
      + "chargeback|login|log in|otp|error|bug|crash\\p{L}*|broken|damaged|defective|wrong item|replacement|claim|"
      + "nahi ho raha|nahi chal raha|kaam nahi|nahi aaya|nahi aya|nahi mila|nahi mili|abhi tak nahi|kab aayega|"
      + "kab milega|kab dispatch|dispatch kab|ho gaye|ho gaya hai|वापस|नहीं आया|नहीं मिला|नहीं हुआ|"
      + "belum sampai|belum diterima|belum datang|tidak bisa login|komplain|(?:وين|فين|اين) ال\\p{L}*|لم يصل|ما وصل|"
      + "ما رديتو|مارديتو|تاخير|مشكله|استرجاع|الغاء)" + E);

  private static final Pattern PAST_BEFORE = pattern(B + "(?:last|past|previous|since|pichle|pichhle|pichla|sejak|"
      + "منذ|पिछले)\\s?$");
  private static final Pattern PAST_AFTER = pattern("\\s?(?:ago|back|pehle|pahle|पहले|lalu|yang lalu|ho gay\\p{L}*|"
      + "ho chuk\\p{L}*|हो गए|हो गया|se\\s(?:[\\p{L}\\p{M}]+\\s){0,3}(?:nahi|nhi|band))" + E);
  private static final Pattern YESTERDAY_WORDS = pattern("kal|kal hi|कल");
  private static final Pattern PAST_VERB = pattern(B + "(?:tha|thi|the|aaya|aayi|aya|ayi|bheja|bheji|bheje|kiya|kia|"
      + "kari|kara|hua|hui|gaya|gayi|gya|gyi|diya|diye|mila|mili|liya|lia|था|थी|थे|आया|आई|भेजा|किया|हुआ|गया|दिया|"
      + "मिला|मिली)" + E);
  /** What the seller said or what already happened: "you said next week", "we met today at the expo". */
  private static final Pattern QUOTED = pattern(B + "(?:said|say|saying|says|told|promised|promise|claimed|bolte|bola|"
      + "bole|kaha|kehte|bataya|janji|bilang|katanya|قلت\\p{L}*|وعد\\p{L}*|बोला|कहा|बताया|"
      + "met|visited|came|went|bought|purchased|paid|spoke|talked|received|saw|ordered|called|thanks for|"
      + "thank you for)" + E);
  /**
   * Our replies, documents and hours: "send the quote by tomorrow", "would be emailed within 3 days", "is the offer
   * valid till 30th", "timings on Sunday".
   */
  private static final Pattern OURS = pattern(B + "(?:send|sent|share|shared|email\\p{L}*|mail|mailed|reply|replied|"
      + "respond\\p{L}*|revert|get back|quote|quotation|proposal|brochure|catalog\\p{L}*|estimate|bhej\\p{L}*|"
      + "bhijwa\\p{L}*|kirim\\p{L}*|balas\\p{L}*|ارسل\\p{L}*|ترسل\\p{L}*|भेज\\p{L}*|reversed|refunded|resolved|fixed|"
      + "processed|dispatch\\p{L}*|valid|validity|expires?|offer ends|sale ends|timings?|opening hours|"
      + "working hours|office hours|opening|open on|open till|closed on)" + E);
  /** A question about our results: "how many followers can you get me in a month". */
  private static final Pattern PERFORMANCE = pattern(B + "(?:how many|how much|kitne|kitna|kitni|berapa banyak|"
      + "berapa ramai|كم عدد|guarantee\\p{L}*|results?)" + E);
  private static final Pattern NEGATION = pattern(B + "(?:not|no|never|can't|cant|cannot|don't|dont|won't|wont|isn't|"
      + "hard|difficult|tough|nahi|nahin|nhi|mat|tidak|nggak|gak|belum|bukan|لا|مو|مش|ما|नहीं|मत)" + E);
  /** Doing something: wanting or buying, paying, booking, starting. */
  private static final Pattern ACTION = pattern(B + "(?:" + NormalizedText.WANT_VERBS + "|pay|paying|book|"
      + "order|start|begin|join|sign|get|send|sending|transfer|deliver|delivery|move|shift|install|launch|live|"
      + "finali[sz]e|close|deal|advance|payment|karna|karni|pesan|ambil|احجز)" + E);
  /** A meeting, call, visit or demo: its date counts only when no purchase date is given. */
  private static final Pattern MEETING = pattern(B + "(?:call|calls|meeting|meet|visit|site visit|demo|appointment|"
      + "appt|"
      + "test drive|test-drive|testdrive|consultation|consult|viewing|walkthrough|tour|slot|slots|zoom|gmeet|"
      + "come over|come by|drop by|stop by|come to|come for|aa sakta|aa sakte|aa jau|aaun|aau|milna|milte|mil sakte|"
      + "baat kar\\p{L}*|dekhne|see the|show me|अपॉइंटमेंट|मिलना|मिलते|विजिट|कॉल|देखने|ketemu|bertemu|kunjungan|"
      + "survei|janji temu|jumpa|datang|موعد|زياره|اجتماع|مكالمه|اتصال|اشوف\\p{L}*|معاينه|جوله|مقابله)" + E);
}
