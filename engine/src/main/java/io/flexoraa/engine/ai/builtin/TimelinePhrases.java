package io.flexoraa.engine.ai.builtin;

import static io.flexoraa.engine.ai.builtin.Amounts.B;
import static io.flexoraa.engine.ai.builtin.Amounts.E;
import static io.flexoraa.engine.ai.builtin.CalendarWords.AFTER_WORDS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.AMBIGUOUS_MONTHS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.BEFORE_WORDS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.COUNT;
import static io.flexoraa.engine.ai.builtin.CalendarWords.COUNT_WORDS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.FESTIVAL_NAMES;
import static io.flexoraa.engine.ai.builtin.CalendarWords.MONTHS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.MONTH_NAMES;
import static io.flexoraa.engine.ai.builtin.CalendarWords.ORDINALS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.PAST_WORDS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.SEASONS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.SHORT_WEEKDAYS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.UNITS;
import static io.flexoraa.engine.ai.builtin.CalendarWords.UNIT_NAMES;
import static io.flexoraa.engine.ai.builtin.CalendarWords.UNIT_OF_DUAL;
import static io.flexoraa.engine.ai.builtin.CalendarWords.WEEKDAYS;
import static io.flexoraa.engine.ai.builtin.NormalizedText.pattern;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every phrase of a (folded) message that says something about timing, in English, Hinglish, Hindi, Arabic and
 * Bahasa: calendar phrases resolved to a date against {@code today} ("next month", "14-18 dec", "Q1 2027", "after
 * Ramadan", "2 mahine me", "بعد سنة"), urgency ("asap", "jaldi", "segera"), "not in a hurry" statements, and paying
 * or booking now. Which of them counts is {@link TimelineExtractor}'s decision.
 *
 * <p>Rules run from the most specific to the least, and a phrase already claimed is not read again ("14-18 dec
 * 2026" is one date, not a date and a year; "koi jaldi nahi" is not "jaldi").
 */
final class TimelinePhrases {

  enum Kind {
    /** "just looking", "no hurry": EXPLORING unless a date is stated. */
    EXPLORE,
    /** paying or booking now ("sending advance now", "payment link"): IMMEDIATE whatever the event's date. */
    TRANSACT,
    /** "asap", "urgent", "jaldi": IMMEDIATE. */
    URGENT,
    /** "now", "abhi", "soon", "fast": IMMEDIATE only beside something the lead wants to do, and not negated. */
    WEAK,
    /** a calendar phrase resolved to a date or a band. */
    DATE,
    /** "in 2 months", "2 mahine me": a date, unless it times our work ("how many followers in a month"). */
    DURATION
  }

  enum Precision { DAY, MONTH }

  /**
   * One timing phrase.
   *
   * @param category the band when the phrase names one directly (EXPLORING for "next year"), else null
   * @param date the day or month the phrase points at, else null
   */
  record Hit(int start, int end, Kind kind, String category, LocalDate date, Precision precision, LocalDate ifNegated) {
    Hit(int start, int end, Kind kind, String category, LocalDate date, Precision precision) {
      this(start, end, kind, category, date, precision, null);
    }
  }

  private final Festivals festivals;

  TimelinePhrases(Festivals festivals) {
    this.festivals = festivals;
  }

  List<Hit> find(String text, LocalDate today) {
    Finder finder = new Finder(text, today);
    finder.each(NOT_TIMING, (m, day) -> null);
    finder.categories(EXPLORE, Kind.EXPLORE, TimelineExtractor.EXPLORING);
    finder.categories(TRANSACT, Kind.TRANSACT, TimelineExtractor.IMMEDIATE);
    finder.each(FORM_BAND, TimelinePhrases::formBand);
    finder.each(FESTIVAL, this::festival);
    finder.each(NUMERIC_DATE, TimelinePhrases::numericDate);
    finder.each(DAY_MONTH, TimelinePhrases::dayMonth);
    finder.each(MONTH_DAY, TimelinePhrases::dayMonth);
    for (Relative relative : RELATIVE) finder.each(relative.pattern, relative.resolve);
    finder.each(QUARTER, TimelinePhrases::quarter);
    finder.each(SEASON, TimelinePhrases::season);
    finder.each(MONTH, TimelinePhrases::month);
    finder.each(DURATION_BEFORE, TimelinePhrases::duration);
    finder.each(DURATION_AFTER, TimelinePhrases::duration);
    finder.each(DURATION_ARABIC, TimelinePhrases::duration);
    finder.each(DURATION_SE, TimelinePhrases::duration);
    finder.each(YEAR, TimelinePhrases::year);
    finder.each(ORDINAL_DAY, TimelinePhrases::ordinalDay);
    finder.each(WEEKDAY, TimelinePhrases::weekday);
    finder.categories(URGENT, Kind.URGENT, TimelineExtractor.IMMEDIATE);
    finder.categories(WEAK, Kind.WEAK, TimelineExtractor.IMMEDIATE);
    return finder.hits;
  }

  /** Runs patterns over the text, keeping each character for the first phrase that claims it. */
  private static final class Finder {
    final String text;
    final LocalDate today;
    final boolean[] taken;
    final List<Hit> hits = new ArrayList<>();

    Finder(String text, LocalDate today) {
      this.text = text;
      this.today = today;
      this.taken = new boolean[text.length() + 1];
    }

    void categories(Pattern pattern, Kind kind, String category) {
      each(pattern, (m, day) -> new Hit(m.start(), m.end(), kind, category, null, null));
    }

    void each(Pattern pattern, BiFunction<Matcher, LocalDate, Hit> resolve) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (m.end() == m.start() || overlaps(m.start(), m.end())) continue;
        Hit hit;
        try {
          hit = resolve.apply(m, today);
        } catch (DateTimeException | ArithmeticException impossible) {
          hit = null; // "31 feb": no such day, no timeline from it
        }
        if (hit != null) hits.add(hit);
        if (hit != null || pattern == NOT_TIMING) {
          for (int i = m.start(); i < m.end(); i++) taken[i] = true;
        }
      }
    }

    boolean overlaps(int start, int end) {
      for (int i = start; i < end; i++) if (taken[i]) return true;
      return false;
    }
  }

  // ---- resolution of each kind of phrase ----

  private static Hit date(Matcher m, LocalDate date, Precision precision) {
    return new Hit(m.start(), m.end(), Kind.DATE, null, date, precision);
  }

  private static Hit band(Matcher m, String category) {
    return new Hit(m.start(), m.end(), Kind.DATE, category, null, null);
  }

  private Hit festival(Matcher m, LocalDate today) {
    String festival = FESTIVAL_NAMES.get(m.group("f"));
    String mod = firstNonNull(m.group("mod"), m.group("post"));
    if (festival == null || mod == null) return null; // "Diwali offer?" asks about an offer, not a date
    boolean after = AFTER_WORDS.contains(mod.strip());
    var day = after ? festivals.after(festival, today) : festivals.next(festival, today);
    return day.map(d -> date(m, d, Precision.DAY)).orElse(null);
  }

  /** A form's own timeline choice: "Timeline: 1-3 months" is read as a duration, "Timeline: 3-6MO" as the band. */
  private static Hit formBand(Matcher m, LocalDate today) {
    String band = m.group("band").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    return switch (band) {
      case "1-3MO", "1-3MONTHS" -> band(m, TimelineExtractor.ONE_TO_THREE_MONTHS);
      case "3-6MO", "3-6MONTHS" -> band(m, TimelineExtractor.THREE_TO_SIX_MONTHS);
      case "6+MONTHS", "6+MO", "EXPLORING" -> band(m, TimelineExtractor.EXPLORING);
      default -> band(m, TimelineExtractor.IMMEDIATE);
    };
  }

  private static Hit numericDate(Matcher m, LocalDate today) {
    int year = Integer.parseInt(m.group("y"));
    if (year < 100) year += 2000;
    LocalDate day = LocalDate.of(year, Integer.parseInt(m.group("mo")), Integer.parseInt(m.group("d")));
    return day.isBefore(today) ? null : date(m, day, Precision.DAY);
  }

  private static Hit dayMonth(Matcher m, LocalDate today) {
    int month = MONTHS.get(m.group("m"));
    int dayOfMonth = Integer.parseInt(m.group("d"));
    String year = m.group("y");
    if (year == null && AMBIGUOUS_MONTHS.contains(m.group("m")) && m.group("ord") == null) return null; // "may 2"
    LocalDate day;
    if (year != null) {
      day = LocalDate.of(Integer.parseInt(year), month, dayOfMonth);
    } else {
      day = LocalDate.of(today.getYear(), month, dayOfMonth);
      if (day.isBefore(today)) day = day.plusYears(1);
    }
    return day.isBefore(today) ? null : date(m, day, Precision.DAY);
  }

  private static Hit ordinalDay(Matcher m, LocalDate today) {
    String written = firstNonNull(m.group("d"), m.group("d2"), m.group("d3"));
    if (m.group("d") != null && m.group("cue") == null && m.group("after") == null) return null; // "my 15th order"
    int dayOfMonth = Integer.parseInt(written);
    if (dayOfMonth < 1 || dayOfMonth > 31) return null;
    LocalDate month = today.withDayOfMonth(1);
    for (int i = 0; i < 3; i++, month = month.plusMonths(1)) {
      if (dayOfMonth <= month.lengthOfMonth()) {
        LocalDate day = month.withDayOfMonth(dayOfMonth);
        if (!day.isBefore(today)) return date(m, day, Precision.DAY);
      }
    }
    return null;
  }

  private static Hit month(Matcher m, LocalDate today) {
    String name = m.group("m");
    int month = MONTHS.get(name);
    String mod = m.group("mod") == null ? null : m.group("mod").strip();
    String post = m.group("post") == null ? null : m.group("post").strip();
    String year = m.group("y");
    if (mod == null && post == null && year == null && (AMBIGUOUS_MONTHS.contains(name) || name.length() <= 4
        && name.chars().allMatch(c -> c < 128))) {
      return null; // "may", "mar", a bare "dec"
    }
    if (mod != null && PAST_WORDS.contains(mod)) return null; // "since January", "last March"
    LocalDate first = LocalDate.of(year != null ? Integer.parseInt(year) : today.getYear(), month, 1);
    if (year == null && first.isBefore(today.withDayOfMonth(1))) first = first.plusYears(1);
    if (year == null && "next".equals(mod)
        && first.getMonthValue() == today.getMonthValue()) first = first.plusYears(1);
    if (first.isBefore(today.withDayOfMonth(1))) return null;
    LocalDate named = first;
    if (mod != null && BEFORE_WORDS.contains(mod) || post != null && BEFORE_WORDS.contains(post)) {
      // "before March": February at the latest; "not ... before March": March
      return new Hit(m.start(), m.end(), Kind.DATE, null, first.minusMonths(1), Precision.MONTH, named);
    }
    if (mod != null && AFTER_WORDS.contains(mod) || post != null
        && AFTER_WORDS.contains(post)) first = first.plusMonths(1);
    return date(m, first, Precision.MONTH);
  }

  private static Hit quarter(Matcher m, LocalDate today) {
    int currentQuarter = (today.getMonthValue() - 1) / 3 + 1;
    String relative = m.group("rel");
    int quarter;
    int year = today.getYear();
    if (relative != null) {
      quarter = relative.equals("this") || relative.equals("current") ? currentQuarter : currentQuarter + 1;
      if (quarter == 5) {
        quarter = 1;
        year++;
      }
    } else {
      quarter = m.group("q") != null ? Integer.parseInt(m.group("q")) : ORDINALS.get(m.group("ord"));
      if (m.group("y") != null) {
        year = Integer.parseInt(m.group("y"));
        if (year < 100) year += 2000;
      }
    }
    int middleMonth;
    if (m.group("fy") != null) {
      // Indian fiscal year: FY27 runs April 2026 to March 2027, its Q1 is April-June 2026
      int fiscalStartYear = m.group("y") != null ? year - 1 : today.getYear() - (today.getMonthValue() < 4 ? 1 : 0);
      LocalDate middle = LocalDate.of(fiscalStartYear, 4, 1).plusMonths(3L * (quarter - 1) + 1);
      if (m.group("y") == null && middle.plusMonths(1).isBefore(today.withDayOfMonth(1))) middle = middle.plusYears(1);
      return date(m, middle, Precision.MONTH);
    }
    middleMonth = 3 * (quarter - 1) + 2;
    LocalDate middle = LocalDate.of(year, middleMonth, 1);
    if (relative == null && m.group("y") == null && middle.plusMonths(1).isBefore(today.withDayOfMonth(1))) {
      middle = middle.plusYears(1);
    }
    if (relative != null && quarter == currentQuarter && middle.isBefore(today.withDayOfMonth(1))) {
      middle = middle.plusMonths(1); // "this quarter" when its middle is past: its last month
    }
    String mod = m.group("mod") == null ? "" : m.group("mod").strip();
    if (BEFORE_WORDS.contains(mod)) middle = middle.minusMonths(2); // the month before the quarter
    if (mod.equals("end of")) middle = middle.plusMonths(1);
    if (AFTER_WORDS.contains(mod)) middle = middle.plusMonths(2);
    return middle.isBefore(today.withDayOfMonth(1)) ? null : date(m, middle, Precision.MONTH);
  }

  private static Hit season(Matcher m, LocalDate today) {
    int[] months = SEASONS.get(m.group("s"));
    if (months == null) return null;
    String mod = firstNonNull(m.group("mod"), m.group("post"));
    if (mod == null) return null;
    mod = mod.strip();
    LocalDate start = LocalDate.of(today.getYear(), months[0], 1);
    LocalDate end = start.plusMonths(2);
    while (end.isBefore(today.withDayOfMonth(1)) || "next".equals(mod) && !start.isAfter(today)) {
      start = start.plusYears(1);
      end = end.plusYears(1);
    }
    LocalDate target;
    if (BEFORE_WORDS.contains(mod)) target = start.minusMonths(1);
    else if (AFTER_WORDS.contains(mod)) target = end.plusMonths(1);
    else if (Set.of("early", "by", "till", "until", "tak").contains(mod)) target = start;
    else if (Set.of("late", "end of").contains(mod)) target = end;
    else target = start.plusMonths(1);
    if (target.isBefore(today.withDayOfMonth(1))) target = today.withDayOfMonth(1);
    return date(m, target, Precision.MONTH);
  }

  private static Hit duration(Matcher m, LocalDate today) {
    double count = count(optionalGroup(m, "n"));
    if (optionalGroup(m, "n2") != null) count = (count + count(m.group("n2"))) / 2;
    String unit = firstNonNull(m.group("unit"), optionalGroup(m, "unit2"));
    if (UNIT_OF_DUAL.containsKey(unit)) {
      count = 2;
      unit = UNIT_OF_DUAL.get(unit);
    }
    if (count <= 0 || count > 120) return null;
    LocalDate day = switch (UNITS.get(unit)) {
      case 'h' -> today; // "call me back in 10 mins"
      case 'd' -> today.plusDays(Math.round(count));
      case 'w' -> today.plusDays(Math.round(count * 7));
      case 'm' -> today.plusMonths((long) count).plusDays(Math.round((count - Math.floor(count)) * 30));
      default -> today.plusMonths(Math.round(count * 12));
    };
    return new Hit(m.start(), m.end(), Kind.DURATION, null, day, Precision.DAY);
  }

  private static Hit year(Matcher m, LocalDate today) {
    int year = Integer.parseInt(m.group("y"));
    if (year < today.getYear() || year > today.getYear() + 20) return null; // "a default in 2022"
    String mod = m.group("mod") == null ? "" : m.group("mod").strip();
    if (year == today.getYear()) return date(m, LocalDate.of(year, 12, 31), Precision.DAY);
    if (Set.of("early", "start of", "beginning of", "awal", "by", "before", "till", "until").contains(mod)) {
      return date(m, LocalDate.of(year, 1, 1), Precision.MONTH);
    }
    if (Set.of("mid", "middle of", "pertengahan").contains(mod)) return date(m, LocalDate.of(year, 6, 1),
        Precision.MONTH);
    if (Set.of("late", "end of", "akhir").contains(mod)) return date(m, LocalDate.of(year, 12, 1), Precision.MONTH);
    return band(m, TimelineExtractor.EXPLORING); // a bare later year reads as "next year" or beyond
  }

  private static Hit weekday(Matcher m, LocalDate today) {
    if (m.group("past") != null || m.group("pastafter") != null) return null; // "last Saturday"
    String name = m.group("w");
    DayOfWeek day = WEEKDAYS.get(name);
    if (day == null) return null;
    if (SHORT_WEEKDAYS.contains(name) && m.group("pre") == null) return null; // "sat", "sun", "wed" need "on", "next"
    return date(m, today.with(TemporalAdjusters.nextOrSame(day)), Precision.DAY);
  }

  // ---- helpers ----

  /** A named group, or null when this pattern has no such group or it did not take part. */
  private static String optionalGroup(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException noSuchGroup) {
      return null;
    }
  }

  private static String firstNonNull(String... values) {
    for (String v : values) if (v != null) return v;
    return null;
  }

  private static double count(String written) {
    if (written == null) return 1;
    String w = written.strip();
    Double word = COUNT_WORDS.get(w);
    if (word != null) return word;
    try {
      return Double.parseDouble(w.replace(',', '.'));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- patterns (folded text: lower case, ASCII digits) ----

  /** Timing words that say nothing about timing: claimed first so no rule reads them. */
  private static final Pattern NOT_TIMING = pattern(B + "(?:aaj kal|aajkal|आजकल|आज कल|how are you(?: doing)? today|"
      + "hope you(?:'re| are) (?:doing )?well(?: today)?|quick (?:question|query|one|doubt|note)|fast (?:food|charging|"
      + "track|internet|moving|fashion)|quick (?:service|delivery options)|right now we (?:use|have|are)|"
      + "for now|as of now|till now|until now|up to now|abhi tak|ab tak|अभी तक|sampai sekarang|hingga kini|حتى الان)"
      + E);

  private static final Pattern EXPLORE = pattern(B + "(?:just (?:looking|browsing|exploring|researching|comparing)|"
      + "only (?:looking|browsing|exploring)|exploring options|"
      + "no immediate (?:plans?|need|requirement)|nothing immediate|not immediately|"
      + "(?:buy|purchase|decide|think|plan|see|dekhenge|lenge|lunga|karenge) (?:it )?later|maybe later|later on|"
      + "baad (?:me|mein) dekhenge|nanti (?:dulu|saja|aja)|بعدين|لاحقا|"
      + "window shopping|no hurry|no rush|in no hurry|not in (?:a|any) hurry|not in a rush|no urgency|not urgent|"
      + "nothing urgent|not immediately|not right now|not now|not anytime soon|not soon|someday|some day|"
      + "sometime in (?:the )?future|in (?:the )?(?:near |distant )?future|down the line|planning stage|early stage|"
      + "koi jaldi nahi\\p{L}*|koi jaldi nhi|jaldi nahi\\p{L}*|jaldi nhi|koi hurry nahi|future (?:me|mein|mai)|"
      + "abhi (?:sirf|bas) (?:\\p{L}+ ){0,3}dekh\\p{L}*|(?:sirf|bas) (?:\\p{L}+ ){0,3}dekh (?:raha|rahe|rahi)|"
      + "lihat[- ]lihat|cuma lihat\\p{L}*|cuma tanya\\p{L}*|tanya[- ]tanya|(?:tidak|nggak|gak|ga|tak|belum) "
      + "(?:buru[- ]buru|buru2|urgent|mendesak|perlu cepat)|santai (?:je|aja|saja)|belum pasti|"
      + "مو مستعجل|مش مستعجل|غير مستعجل|مب مستعجل|ما في عجله|مافي عجله|لست مستعجلا|مجرد استفسار|بس استفسار|"
      + "اتفرج|कोई जल्दी नहीं|जल्दी नहीं|बस देख रह\\p{L}*|सिर्फ देख रह\\p{L}*|भविष्य में)" + E);

  private static final Pattern TRANSACT = pattern("(?m)" + B + "(?:(?:pay|paying|book|booking|confirm|confirming|block|"
      + "blocking)(?: [\\p{L}\\p{M}']+){0,3} (?:now|today|today itself|right away|right now|immediately|abhi|aaj|"
      + "sekarang|hari ini)|(?:send|sending|transfer|transferring|deposit|depositing|bhej\\p{L}*|kirim) (?:the |my |"
      + "an |"
      + "you )?(?:advance|payment|amount|money|deposit|token|funds|balance|dp)|payment link|pay link|account details|"
      + "bank details|upi id|upi details|qr code|booking amount|token amount|advance (?:bhej|de|kar|transfer)\\p{L}*|"
      + "pay kar (?:dunga|deta|denge|rahe|raha)|(?:please|pls|plz|kindly) (?:book|block)|"
      + "(?:please|pls|plz|kindly) confirm (?:the |my |our )?booking|"
      + "book (?:karo|kar do|kardo|kar dijiye|it|kar lo)|nomor rekening|no rek|kirim rekening|transfer sekarang|"
      + "رقم الحساب|رابط الدفع|लिंक भेज\\p{L}*)" + E + "|^\\s*(?:book|confirm|block) (?:the|my|our|this|it)" + E);

  private static final Pattern URGENT = pattern(B + "(?:asap|a\\.s\\.a\\.p|as soon as possible|at the earliest|"
      + "urgent|urgently|immediately|immediate|right away|straight away|earliest possible|jaldi|jald|jaldi se|turant|"
      + "turunt|fauran|foran|lavkar|lvkar|taratari|seekiram|twaraga|segera|secepatnya|secepat mungkin|buru[- ]buru|"
      + "mendesak|فورا|حالا|عاجل|ضروري|مستعجل|بسرعه|في اقرب وقت|باسرع وقت|तुरंत|जल्दी|जल्द|फौरन|अर्जेंट)" + E);

  private static final Pattern WEAK = pattern(B + "(?:right now|now|abhi|sekarang|skrg|الحين|الان|अभी|soon|"
      + "shortly|fast|quick|quickly|cepat|jaldi hi)" + E);

  private static final Pattern FORM_BAND = pattern(B + "(?:timeline|timeframe|time frame|purchase timeline)"
      + "\\s?[:-]\\s?(?<band>1-3\\s?mo|3-6\\s?mo|1-3 months|3-6 months|6\\+ ?months|6\\+ ?mo|exploring|immediate)" + E);

  private static final String MOD_BEFORE = "before|by|till|until|for|on|around|during|in|after|post|sebelum|setelah|"
      + "sesudah|selepas|lepas|habis|abis|pas|menjelang|jelang|قبل|بعد|في|خلال|حتى";
  private static final Pattern FESTIVAL = pattern(B + "(?:(?<mod>" + MOD_BEFORE + ") (?:the )?)?(?<f>"
      + Amounts.alternation(FESTIVAL_NAMES.keySet()) + ")" + E + "(?<post> (?:se pehle|se pahle|ke pehle|tak|ke baad|"
      + "ke bad|baad|ke aas paas|pe|par|me|mein|से पहले|तक|के बाद|बाद|पर|में)" + E + ")?");

  private static final Pattern NUMERIC_DATE = Pattern.compile(B + "(?:(?<d>[0-3]?\\d)[/.-](?<mo>[01]?\\d)[/.-]"
      + "(?<y>20\\d\\d|\\d\\d))" + E);
  private static final Pattern DAY_MONTH = pattern(B + "(?<d>[0-3]?\\d)(?<ord>st|nd|rd|th)?(?:\\s?(?:-|to|&|and|se)\\s?"
      + "[0-3]?\\d(?:st|nd|rd|th)?)?(?: of)?[\\s-]?(?<m>" + MONTH_NAMES + ")" + E + "(?:,?\\s?'?(?<y>20\\d\\d))?");
  private static final Pattern MONTH_DAY = pattern(B + "(?<m>" + MONTH_NAMES + ")[\\s.]?(?<d>[0-3]?\\d)(?<ord>st|nd|"
      + "rd|th)?"
      + E + "(?:,?\\s?(?<y>20\\d\\d))?");
  private static final Pattern ORDINAL_DAY = pattern(B + "(?:(?<cue>from|starting|start|starts|on|by|till|until|before|"
      + "after|date|dated) (?:the )?)?(?<d>[0-3]?\\d)(?:st|nd|rd|th)" + E
      + "(?! (?:week|weekend|of|floor|batch|year|time|anniversary|birthday|order|day|month))"
      + "(?<after> (?:se|ko|tak|onwards|onward))?"
      + "|" + B + "(?<d2>[0-3]?\\d) ?(?:tarikh|tareekh|तारीख)" + E
      + "|" + B + "(?:tanggal|tgl|tarikh|تاريخ) (?<d3>[0-3]?\\d)" + E);

  private static final Pattern MONTH = pattern(B + "(?:(?<mod>early|mid|middle of|late|end of|the end of|start of|"
      + "(?:first|1st|second|2nd|third|3rd|last) week of|"
      + "beginning of|by|before|till|until|after|from|in|this|next|coming|since|last|pichle|awal|pertengahan|akhir|"
      + "sebelum|setelah|sesudah|selepas|sejak|bulan|hingga|sampai|حتى|قبل|بعد|في|بدايه|نهايه|منتصف|اخر|اول)"
      + "[\\s-]{1,2}(?:of )?(?:the )?)?(?<m>" + MONTH_NAMES + ")" + E + "(?:,?\\s?'?(?<y>20\\d\\d))?"
      + "(?<post> (?:se pehle|se pahle|ke pehle|ke baad|ke bad|baad|ke end|end|ke aakhir|ke akhir|tak|se|me|mein|mai|"
      + "से पहले|के बाद|बाद|तक|में|से|के अंत|के आखिर)" + E + ")?");

  private static final Pattern QUARTER = pattern(B + "(?:(?<mod>before|by|after|end of|in|during|till|until) )?(?:"
      + "q(?<q>[1-4])|(?<ord>first|second|third|fourth|1st|2nd|3rd|4th) quarter|(?<rel>next|this|coming|current|"
      + "following) quarter)" + E + "(?:\\s?(?:of )?(?<fy>fy)?\\s?'?(?<y>20\\d\\d|\\d\\d)" + E + ")?");

  private static final Pattern SEASON = pattern(B + "(?:(?<mod>before|by|after|in|this|next|coming|early|late|end of|"
      + "during|till|until) (?:the )?)?(?<s>" + Amounts.alternation(SEASONS.keySet()) + ")" + E
      + "(?<post> (?:me|mein|se pehle|ke baad|tak|में|से पहले|के बाद|तक)" + E + ")?");

  private static final Pattern DURATION_BEFORE = pattern(B + "(?:in|within|inside|under|after|over the next|"
      + "(?:timeline|timeframe|time frame|eta|start|starting)\\s?[:-]?|"
      + "in the next|within the next|during the next|for the next|in another|another|next|coming|over|dalam|"
      + "dalam waktu|setelah|sesudah|selepas|lepas|kurang dari) (?:about |around |approx\\.? |roughly |~ ?)?"
      + "(?:the next )?(?<n>" + COUNT + ")(?:\\s?(?:-|to|"
      + "or)\\s?(?<n2>" + COUNT + "))? ?(?<unit>" + UNIT_NAMES + ")" + E);
  private static final Pattern DURATION_AFTER = pattern(B + "(?<n>" + COUNT + ")(?:\\s?(?:-|to|se)\\s?(?<n2>" + COUNT
      + "))? (?<unit>" + UNIT_NAMES + ") (?:me|mein|mai|mei|ke andar|ke bheetar|ke baad|ke bad|baad|lagi|ke depan|"
      + "kedepan|में|के अंदर|के भीतर|के बाद|बाद)" + E);
  private static final Pattern DURATION_ARABIC = pattern(B + "(?:خلال|بعد|في غضون|في خلال|بغضون) (?:(?<n>" + COUNT
      + ") )?(?<unit>" + Amounts.alternation(UNIT_OF_DUAL.keySet()) + "|" + UNIT_NAMES + ")" + E);
  /** Bahasa "seminggu lagi", "dalam sebulan": se- is "one". */
  private static final Pattern DURATION_SE = pattern(B + "(?:(?:dalam|dalam waktu|setelah|kurang dari) se(?<unit>hari|"
      + "minggu|bulan|tahun)(?: lagi)?|se(?<unit2>hari|minggu|bulan|tahun) lagi)" + E);

  private static final Pattern YEAR = pattern(B + "(?:(?<mod>in|by|till|until|before|after|from|around|during|early|"
      + "mid|"
      + "middle of|late|end of|start of|beginning of|sometime in|tahun|awal|akhir|pertengahan|في|عام|"
      + "سنه) )?(?<y>20\\d\\d)"
      + E);

  private static final Pattern WEEKDAY = pattern(B + "(?:(?<past>last|past|previous|pichle|pichhle|pichla|पिछले) )?"
      + "(?:(?<pre>this|next|coming|on|by|till|until|before|agle|is|iss|يوم|hari) )?(?<w>"
      + Amounts.alternation(WEEKDAYS.keySet()) + ")" + E + "(?<pastafter> (?:lalu|kemarin|الماضي|الفائت))?");

  /** A fixed phrase and the date or band it means. */
  private record Relative(Pattern pattern, BiFunction<Matcher, LocalDate, Hit> resolve) {}

  private static Relative day(String phrases, int plusDays) {
    return new Relative(pattern(B + "(?:" + phrases + ")" + E), (m, today) -> date(m, today.plusDays(plusDays),
        Precision.DAY));
  }

  private static final List<Relative> RELATIVE = List.of(
      new Relative(pattern(B + "(?:end of next month|end of the next month|next month end|agle mahine ke (?:end|aakhir|"
          + "akhir)|akhir bulan depan|نهايه الشهر (?:القادم|الجاي|المقبل))" + E),
          (m, today) -> date(m, today.plusMonths(1).with(TemporalAdjusters.lastDayOfMonth()), Precision.DAY)),
      new Relative(pattern(B + "(?:(?:start|beginning) of (?:the )?next month|early next month|next month start|"
          + "agle mahine ki shuru\\p{L}*|agle mahine ke shuru\\p{L}*|awal bulan depan|بدايه الشهر (?:القادم|الجاي|"
          + "المقبل))" + E),
          (m, today) -> date(m, today.plusMonths(1).withDayOfMonth(1), Precision.DAY)),
      new Relative(pattern(B + "(?:early next year|beginning of next year|start of next year|next year start|"
          + "agle saal ki shuru\\p{L}*|agle saal ke shuru\\p{L}*|awal tahun depan|بدايه (?:السنه|العام) (?:القادم|"
          + "القادمه|الجاي|الجايه|المقبل))" + E),
          (m, today) -> date(m, LocalDate.of(today.getYear() + 1, 1, 1), Precision.MONTH)),
      new Relative(pattern(B + "(?:mid next year|middle of next year|mid of next year|pertengahan tahun depan)" + E),
          (m, today) -> date(m, LocalDate.of(today.getYear() + 1, 6, 1), Precision.MONTH)),
      new Relative(pattern(B + "(?:end of next year|late next year|akhir tahun depan)" + E),
          (m, today) -> date(m, LocalDate.of(today.getYear() + 1, 12, 1), Precision.MONTH)),
      new Relative(pattern(B + "(?:(?:new|next|coming|naya|naye|agle) (?:financial|fiscal|fin) year|"
          + "(?:new|next|coming) fiscal|new fy|next fy|"
          + "start of (?:the )?(?:new )?financial year|नया वित्त वर्ष|नए वित्त वर्ष|tahun fiskal baru)" + E),
          (m, today) -> date(m, nextMonthOf(today, 4), Precision.MONTH)),
      new Relative(pattern(B + "(?:end of (?:the )?(?:financial|fiscal) year|fy end|financial year end|"
          + "year[- ]end closing)" + E),
          (m, today) -> date(m, nextMonthOf(today, 3), Precision.MONTH)),
      day("day after tomorrow|parso|parson|parsoon|lusa|بعد بكره|بعد بكرا|परसों", 2),
      day("today|tonight|today itself|aaj|aaj hi|hari ini|malam ini|اليوم|الليله|आज", 0),
      day("tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|kal|kal hi|udya|udyaa|repu|naalai|nalai|besok|esok|بكره|بكرا|"
          + "غدا|bukra|कल", 1),
      day("next week|next wk|coming week|the following week|agle hafte|agle week|next hafte|aane wale hafte|"
          + "minggu depan|pekan depan|minggu hadapan|الاسبوع (?:الجاي|القادم|المقبل)|अगले हफ्ते|अगले सप्ताह|"
          + "अगले वीक", 7),
      new Relative(pattern(B + "(?:this weekend|the weekend|weekend|is weekend|hujung minggu|akhir pekan|akhir minggu|"
          + "الويكند|نهايه الاسبوع|वीकेंड)" + E),
          (m, today) -> date(m, today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SATURDAY)), Precision.DAY)),
      day("this week|this wk|within the week|within this week|by the end of the week|end of (?:the|this) week|"
          + "is hafte|iss hafte|isi hafte|is week|iss week|isi week|hafte bhar (?:me|mein)|minggu ini|pekan ini|"
          + "هذا الاسبوع|هالاسبوع|خلال الاسبوع|इस हफ्ते|इसी हफ्ते|इस सप्ताह|इसी सप्ताह|इस वीक", 3),
      new Relative(pattern(B + "(?:end of (?:the|this) month|month end|month-end|monthend|mahine ke (?:end|aakhir|"
          + "akhir|last)|akhir bulan|hujung bulan|نهايه الشهر|اخر الشهر|महीने के अंत|महीने के आखिर)" + E),
          (m, today) -> date(m, today.with(TemporalAdjusters.lastDayOfMonth()), Precision.DAY)),
      new Relative(pattern(B + "(?:this month|within this month|within the month|is mahine|isi mahine|iss mahine|"
          + "is month|bulan ini|bulan ni|هذا الشهر|هالشهر|خلال الشهر|इस महीने|इसी महीने)" + E),
          (m, today) -> date(m, today.withDayOfMonth(1), Precision.MONTH)),
      new Relative(pattern(B + "(?:next month|coming month|following month|agle mahine|agle month|next mahine|"
          + "aane wale mahine|bulan depan|bulan hadapan|الشهر (?:القادم|الجاي|المقبل)|अगले महीने|अगले माह)" + E),
          (m, today) -> date(m, today.withDayOfMonth(1).plusMonths(1), Precision.MONTH)),
      new Relative(pattern(B + "(?:end of (?:the|this) year|year end|year-end|yearend|by the end of the year|"
          + "(?:is )?saal ke (?:end|aakhir|akhir)|akhir tahun|hujung tahun|نهايه السنه|اخر السنه|साल के अंत|"
          + "this year|within this year|is saal|isi saal|tahun ini|هذه السنه|هالسنه|इस साल|इसी साल)" + E),
          (m, today) -> date(m, LocalDate.of(today.getYear(), 12, 31), Precision.DAY)),
      new Relative(pattern(B + "(?:next year|coming year|following year|agle saal|agle sal|next saal|aane wale saal|"
          + "tahun depan|tahun hadapan|(?:السنه|العام) (?:القادم|القادمه|الجاي|الجايه|المقبل|المقبله)|अगले साल|"
          + "अगले वर्ष)" + E),
          (m, today) -> band(m, TimelineExtractor.EXPLORING)));

  private static LocalDate nextMonthOf(LocalDate today, int month) {
    LocalDate first = LocalDate.of(today.getYear(), month, 1);
    return first.isBefore(today.withDayOfMonth(1)) ? first.plusYears(1) : first;
  }
}
