package io.flexoraa.engine.ai.builtin;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every amount a message writes — digits in any script or number words, a scale (k, lakh, crore, juta, ألف,
 * ...), a currency before or after, a range — without deciding whether it is money the lead means to spend: that is
 * {@link BudgetExtractor}'s job. Counts and identifiers are dropped here (a number glued to letters that are not a
 * scale or currency — "3BHK", "28th", "i20", "WH-2291" — a number before a unit — "1500 sqft", "10k followers",
 * "5 din" — phone numbers, bare years).
 *
 * <p>Every pattern is a flat alternation over a bounded stretch of text: no nested quantifiers, so no catastrophic
 * backtracking whatever the input.
 */
final class Amounts {

  /** How the amount was scaled; lakh and crore say INR by themselves, juta and ribu IDR. */
  enum Scale {
    NONE(1, null), THOUSAND(1_000, null), LAKH(100_000, "INR"), CRORE(10_000_000, "INR"), MILLION(1_000_000, null),
    BILLION(1_000_000_000, null), RIBU(1_000, "IDR"), JUTA(1_000_000, "IDR"),
    /** A bare "m": a million, except in rupiah where "1,2 M" is miliar (a billion). */
    M(1_000_000, null);

    final BigDecimal factor;
    final String currency;

    Scale(long factor, String currency) {
      this.factor = BigDecimal.valueOf(factor);
      this.currency = currency;
    }
  }

  /**
   * One amount as written, in folded-text offsets.
   *
   * @param start where it starts, a currency sign before the number included
   * @param end where it ends, a currency after it and a trailing "+" or "/-" included
   * @param value the amount; the midpoint of a range
   * @param currency the ISO code its own currency sign or word names, else null
   * @param scale the scale it was written with (the larger one in a range or a compound)
   * @param range whether it was written as a range
   */
  record Amount(int start, int end, BigDecimal value, String currency, Scale scale, boolean range) {
    /** Currency sign or word, or a scale only money uses (lakh, crore, juta, ribu). */
    boolean explicitMoney() {
      return currency != null || scale.currency != null;
    }

    String currencyOr(String fallback) {
      if (currency != null) return currency;
      if (scale.currency != null) return scale.currency;
      return fallback;
    }
  }

  private Amounts() {}

  static final String B = "(?<![\\p{L}\\p{M}\\p{N}])";
  static final String E = "(?![\\p{L}\\p{M}\\p{N}])";

  private static final String NUMBER =
      "\\d{1,3}(?:,\\d{2})+,\\d{3}(?:\\.\\d+)?|\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?"
          + "|\\d+(?:[.,]\\d+)?";

  private static final Map<String, BigDecimal> NUMBER_WORDS = numberWords();
  private static final String NUMBER_WORD = alternation(NUMBER_WORDS.keySet());

  /** Arabic scale words that are an amount by themselves: مليون = one million, ألفين = two thousand. */
  private static final Map<String, BigDecimal> WHOLE_WORDS = Map.of(
      NormalizedText.foldPattern("مليون"), BigDecimal.valueOf(1_000_000),
      NormalizedText.foldPattern("مليونين"), BigDecimal.valueOf(2_000_000),
      NormalizedText.foldPattern("ألف"), BigDecimal.valueOf(1_000),
      NormalizedText.foldPattern("ألفين"), BigDecimal.valueOf(2_000),
      "sejuta", BigDecimal.valueOf(1_000_000), "seribu", BigDecimal.valueOf(1_000));

  private static final Pattern START = Pattern.compile(
      "(?<![\\p{N}])\\d|" + B + "(?:" + NUMBER_WORD + "|" + alternation(WHOLE_WORDS.keySet()) + ")" + E);
  private static final Pattern DIGITS = Pattern.compile(NUMBER);
  private static final Pattern WORD = Pattern.compile("(?:" + NUMBER_WORD + ")" + E);
  private static final Pattern WHOLE_WORD = Pattern.compile(alternation(WHOLE_WORDS.keySet()) + E);

  private static final String SCALE_WORDS = NormalizedText.foldPattern(
      "thousands|thousand|thou|hazaar|hazar|hajaar|hajar|hazzar|हजार|ribu|rebu|rb|"
          + "lakhs|lakh|laakh|lacs|lac|lakhs|lkh|lk|लाख|"
          + "crores|crore|karod|karor|crs|cr|करोड़|करोड|"
          + "millions|million|mio|mln|mn|mil|juta|jt|jta|مليون|ملايين|"
          + "billions|billion|bn|miliar|milyar|"
          + "آلاف|ألف|k");
  /** Scale word after optional space, l glued to the number ("1.2L"), m glued or spaced ("$2m", "Rp 1,2 M"). */
  private static final Pattern SCALE = Pattern.compile("\\s?(" + SCALE_WORDS + ")" + E + "|(l)" + E + "|\\s?(m)" + E);

  static final String CURRENCY_BEFORE = "(?<![\\p{L}])(?:rs\\.?|inr|rupees|rupee|us\\$|usd|s\\$|sg\\$|sgd|aed|dhs\\.?"
      + "|idr|rp\\.?|myr|rm|eur|gbp|sar|qar|kwd|omr)|₹|\\$|€|£|" + NormalizedText.foldPattern("د\\.?\\s?إ");
  private static final Pattern CURRENCY_BEFORE_END = Pattern.compile("(?:" + CURRENCY_BEFORE + ")\\s{0,2}$");
  private static final Pattern CURRENCY_AT = Pattern.compile("\\s{0,2}(?:" + CURRENCY_BEFORE + ")\\s{0,2}");
  private static final Pattern CURRENCY_AFTER = Pattern.compile("\\s?(?:(?:rs\\.?|rupees|rupee|rupaye|rupaiye|rupay"
      + "|rupiya|rupiye|rupya|inr|usd|dollars|dollar|bucks|aed|dirhams|dirham|dhs|dh|sgd|idr|rupiah|myr|ringgit"
      + "|eur|euros|euro|gbp|pounds|sar|riyals|riyal|qar|kwd|omr)" + E + "|"
      + NormalizedText.foldPattern("रुपये|रुपए|रुपया|रुपैया|रु\\.?|درهم|دراهم|ريال|د\\.?\\s?إ") + "|₹|\\$|€|£)");

  private static final Pattern COMPOUND = Pattern.compile("\\s?(?:and|aur|"
      + "" + NormalizedText.foldPattern("और") + ")?\\s?");
  private static final Pattern RANGE_SEPARATOR = Pattern.compile("\\s{0,2}(?:-{1,2}|~|to|se|till|"
      + "" + NormalizedText.foldPattern(
      "से|sampai|hingga|s/d|sd|إلى|الى|and|aur|और|dan|و") + ")\\s{0,2}");
  private static final Pattern BETWEEN = Pattern.compile(
      B + NormalizedText.foldPattern("(?:between|beech|bich|बीच|antara|بين)") + E);
  private static final Pattern AND_WORD = Pattern.compile(
      "\\s*(?:and|aur|" + NormalizedText.foldPattern("और|dan|و") + ")\\s*");

  /** Words after a number that make it a count, a size or a time, not money. */
  private static final Pattern UNIT = Pattern.compile("\\s{0,2}-?\\s?(?:%|x" + E + "|(?:" + NormalizedText.foldPattern(
      "sq\\.?\\s?ft|sq\\.?\\s?yd|sq\\.?\\s?m|sqft|sqyd|sqm|sft|square|acres?|bigha|gaj|guntha|cents?|yards?|bhk|rk|"
          + "kw|kwh|kwp|mw|hp|watts?|kva|volts?|amps?|tons?|tonnes?|ltrs?|litres?|liters?|ml|kgs?|kilos?|gms?|g|"
          + "gb|tb|mb|mbps|km|kms|mtrs?|meters?|metres?|inch|inches|ft|feet|cm|mm|"
          + "units?|pcs|pieces?|pc|nos|numbers?|qty|items?|boxes|cartons?|bottles?|seats?|seater|desks?|cabins?|"
          + "guests?|people|persons?|pax|ppl|members?|staff|employees?|users?|students?|kids|children|adults?|"
          + "followers?|likes|views|subscribers?|leads|calls|messages|orders|licen[cs]es?|"
          + "nights?|"
          + "rooms?|floors?|storeys?|stories|towers?|cars?|bikes?|sessions?|classes?|batches?|times|baar|"
          + "percent|st|nd|rd|th|january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|"
          + "september|sept|sep|october|oct|november|nov|december|dec|"
          + "orang|buah|biji|kali|malam|kamar|"
          + "شخص|اشخاص|أشخاص|حبه|حبة|قطعه|قطعة|متر|غرفه|غرفة|ليالي|ليله|ليلة|"
          + "व्यक्ति|लोग|पीस|एचपी|किलो|सीट|फीट|गज|बीघा|यूनिट")
      + ")" + E + ")");
  /**
   * Times and durations: units only for an unscaled number ("at 5 pm", "5 din", "2 saal"), since "50k pm" and
   * "20 hazar mahine ka" are monthly amounts.
   */
  private static final Pattern TIME_OF_DAY = Pattern.compile("\\s{0,2}-?\\s?(?:am|pm|a\\.m\\.|p\\.m\\.|baje|o'clock|"
      + NormalizedText.foldPattern("years?|yrs?|saal|sal|months?|mahine|mahina|days?|din|weeks?|hafte|hours?|hrs?|"
          + "mins?|minutes?|hari|minggu|bulan|tahun|يوم|ايام|أيام|شهر|اشهر|أشهر|سنه|سنة|سنوات|साल|महीने|महीना|दिन|बजे")
      + ")" + E);
  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d -]{8,16}\\d");
  private static final Pattern IDENTIFIER_WORD = Pattern.compile(B + NormalizedText.foldPattern(
      "(?:no\\.?|number|num|id|order|invoice|inv|ref|reference|pnr|ticket|sku|model|plot|flat|unit|room|pin|pincode"
          + "|code|otp|tower|floor|sector|block|phase|gate|house|shop|apt|door|nomor|nombor|नंबर|नम्बर|"
          + "رقم)") + "\\s?[:#.]?\\s?$");

  private static final Map<String, String> CURRENCY_CODES = currencyCodes();

  /** Every amount in the text, left to right, none overlapping. */
  static List<Amount> scan(NormalizedText normalized) {
    String text = normalized.text();
    boolean[] phone = phoneMask(text);
    List<Amount> found = new ArrayList<>();
    Matcher start = START.matcher(text);
    int from = 0;
    while (from < text.length() && start.find(from)) {
      Amount amount = phone[start.start()] ? null : readAt(text, start.start());
      if (amount != null) {
        found.add(amount);
        from = Math.max(amount.end(), start.end());
      } else {
        Matcher digits = DIGITS.matcher(text).region(start.start(), text.length());
        from = digits.lookingAt() ? digits.end() : start.end();
      }
    }
    return found;
  }

  private static boolean[] phoneMask(String text) {
    boolean[] mask = new boolean[text.length() + 1];
    Matcher m = PHONE.matcher(text);
    while (m.find()) {
      long digits = m.group().chars().filter(Character::isDigit).count();
      boolean bounded = (m.start() == 0 || !Character.isDigit(text.charAt(m.start() - 1)))
          && (m.end() == text.length() || !Character.isDigit(text.charAt(m.end())));
      if (digits >= 10 && bounded) for (int i = m.start(); i < m.end(); i++) mask[i] = true;
    }
    return mask;
  }

  /** The amount starting with the number at {@code at}, or null when it is a count, an identifier, a date... */
  private static Amount readAt(String text, int at) {
    if (!standsAlone(text, at)) return null;
    Number first = readNumber(text, at);
    if (first == null) return null;
    int end = first.end;
    String currency = null;
    int start = at;
    Matcher before = lookBehind(CURRENCY_BEFORE_END, text, at, 8);
    if (before.find()) {
      currency = currencyCode(before.group());
      start = before.start();
    }
    Scale scale = first.scale;
    BigDecimal low = first.value.multiply(scale.factor);
    // "1 lakh 50 thousand", "2 crore 50 lakh"
    Matcher compoundGap = COMPOUND.matcher(text).region(end, text.length());
    if (scale != Scale.NONE && compoundGap.lookingAt()) {
      Number more = readNumber(text, compoundGap.end());
      if (more != null && more.scale != Scale.NONE && more.scale.factor.compareTo(scale.factor) < 0) {
        low = low.add(more.value.multiply(more.scale.factor));
        end = more.end;
      }
    }
    Matcher after = CURRENCY_AFTER.matcher(text).region(end, text.length());
    if (currency == null && after.lookingAt()) {
      currency = currencyCode(after.group());
      end = after.end();
    }
    BigDecimal value = low;
    boolean range = false;
    Matcher separator = RANGE_SEPARATOR.matcher(text).region(end, text.length());
    if (separator.lookingAt() && rangeAllowed(text, start, separator)) {
      int secondAt = separator.end();
      String secondCurrency = null;
      Matcher sign = CURRENCY_AT.matcher(text).region(secondAt, text.length());
      if (sign.lookingAt()) {
        secondCurrency = currencyCode(sign.group());
        secondAt = sign.end();
      }
      Number second = secondAt < text.length() ? readNumber(text, secondAt) : null;
      if (second != null) {
        Scale lowScale = scale != Scale.NONE ? scale : second.scale;
        Scale highScale = second.scale != Scale.NONE ? second.scale : scale;
        BigDecimal lowValue = scale != Scale.NONE ? low : first.value.multiply(lowScale.factor);
        BigDecimal high = second.value.multiply(highScale.factor);
        int secondEnd = second.end;
        Matcher secondAfter = CURRENCY_AFTER.matcher(text).region(secondEnd, text.length());
        if (secondCurrency == null && secondAfter.lookingAt()) {
          secondCurrency = currencyCode(secondAfter.group());
          secondEnd = secondAfter.end();
        }
        boolean sameCurrency = currency == null || secondCurrency == null || currency.equals(secondCurrency);
        if (high.compareTo(lowValue) > 0 && sameCurrency) {
          value = lowValue.add(high).divide(BigDecimal.valueOf(2), 6, RoundingMode.HALF_UP).stripTrailingZeros();
          range = true;
          end = secondEnd;
          scale = highScale.factor.compareTo(lowScale.factor) >= 0 ? highScale : lowScale;
          if (currency == null) currency = secondCurrency;
        }
      }
    }
    if (first.digits < 0 && !range) return null; // a bare number word: "do" is also "give"
    if (end < text.length() && text.charAt(end) == '+') end++;
    else if (text.startsWith("/-", end)) end += 2;
    if (currency == null) {
      if (UNIT.matcher(text).region(end, text.length()).lookingAt()) return null;
      if (scale == Scale.NONE && TIME_OF_DAY.matcher(text).region(end, text.length()).lookingAt()) return null;
      if (scale == Scale.NONE && !range && first.looksLikeYear) return null;
      if (scale == Scale.NONE && first.digits >= 9) return null;
      if (scale == Scale.NONE && !range && lookBehind(IDENTIFIER_WORD, text, start, 24).find()) return null;
    }
    if ("IDR".equals(currency) && first.singleDotGroup && scale == Scale.NONE && !range) {
      value = first.value.multiply(BigDecimal.valueOf(1_000)); // "Rp 500.000" writes thousands with a dot
    }
    return new Amount(start, end, value, currency, scale, range);
  }

  /** "between 5 and 8 lakh" is a range; "5 lakh and 2 cars" is not. */
  private static boolean rangeAllowed(String text, int start, Matcher separator) {
    if (!AND_WORD.matcher(separator.group()).matches()) return true;
    return BETWEEN.matcher(text).region(Math.max(0, start - 30), Math.min(text.length(), separator.end() + 40)).find();
  }

  /** A matcher over the {@code width} characters before {@code at}, seeing past them for boundaries. */
  static Matcher lookBehind(Pattern pattern, String text, int at, int width) {
    return pattern.matcher(text).region(Math.max(0, at - width), at).useTransparentBounds(true);
  }

  /** A number that is not glued to an identifier: "WH-2291", "#12", "+91", "12/01", "10:30", "i20" are not amounts. */
  private static boolean standsAlone(String text, int at) {
    if (at == 0 || !Character.isDigit(text.charAt(at))) return true;
    char before = text.charAt(at - 1);
    if (before == '#' || before == '+' || before == '@' || before == '_') return false;
    if (before == '-' || before == '/' || before == ':' || before == '.' || before == ',') {
      return at < 2 || !Character.isLetterOrDigit(text.charAt(at - 2));
    }
    if (Character.isLetter(before)) {
      int wordStart = at - 1;
      while (wordStart > 0 && Character.isLetter(text.charAt(wordStart - 1))) wordStart--;
      String word = text.substring(wordStart, at);
      return CURRENCY_CODES.containsKey(word);
    }
    return true;
  }

  private record Number(int end, BigDecimal value, Scale scale, boolean looksLikeYear, boolean singleDotGroup,
      int digits) {}

  private static Number readNumber(String text, int at) {
    BigDecimal value;
    int end;
    boolean year = false;
    boolean singleDot = false;
    int digits = 0;
    Matcher digitsMatch = DIGITS.matcher(text).region(at, text.length());
    Matcher wholeMatch = WHOLE_WORD.matcher(text).region(at, text.length());
    if (digitsMatch.lookingAt()) {
      String written = digitsMatch.group();
      end = digitsMatch.end();
      singleDot = written.matches("\\d{1,3}\\.\\d{3}");
      digits = (int) written.chars().filter(Character::isDigit).count();
      value = parseDigits(written);
      year = written.matches("(?:19|20)\\d\\d");
      if (end < text.length() && Character.isLetter(text.charAt(end))) {
        Matcher glued = SCALE.matcher(text).region(end, text.length());
        Matcher gluedCurrency = CURRENCY_AFTER.matcher(text).region(end, text.length());
        if (!glued.lookingAt() && !gluedCurrency.lookingAt()) return null; // "3bhk", "28th", "5kw"
      }
    } else if (wholeMatch.lookingAt()) {
      BigDecimal whole = WHOLE_WORDS.get(wholeMatch.group());
      Scale scale = whole.compareTo(BigDecimal.valueOf(1_000_000)) >= 0 ? Scale.MILLION : Scale.THOUSAND;
      if (wholeMatch.group().startsWith("se")) scale = whole.intValue() == 1_000 ? Scale.RIBU : Scale.JUTA;
      return new Number(wholeMatch.end(), whole.divide(scale.factor), scale, false, false, 0);
    } else {
      Matcher word = WORD.matcher(text).region(at, text.length());
      if (!word.lookingAt()) return null;
      value = NUMBER_WORDS.get(word.group().strip());
      end = word.end();
      Matcher scale = SCALE.matcher(text).region(end, text.length());
      // A number word is an amount only before a word scale ("do lakh", "lima juta") or as the low end of a range
      // that has one ("do se teen lakh"); readAt drops a bare word that starts no range.
      boolean scaled = scale.lookingAt() && scale.group(1) != null && !"k".equals(scale.group(1));
      if (value == null || !scaled && !RANGE_SEPARATOR.matcher(text).region(end, text.length()).lookingAt()) {
        return null;
      }
      if (!scaled) return new Number(end, value, Scale.NONE, false, false, -1);
    }
    Matcher scale = SCALE.matcher(text).region(end, text.length());
    Scale kind = Scale.NONE;
    if (scale.lookingAt()) {
      kind = scale.group(3) != null ? Scale.M : scaleOf(scale.group(1) != null ? scale.group(1) : scale.group(2));
      end = scale.end();
    }
    return new Number(end, value, kind, year, singleDot, digits);
  }

  /** Digits with thousands separators (1,50,000 / 1,500,000 / 1.500.000) or a decimal point or comma (1.5 / 1,5). */
  static BigDecimal parseDigits(String written) {
    String s = written;
    if (s.matches("\\d{1,3}(?:\\.\\d{3}){2,}(?:,\\d+)?")) {
      s = s.replace(".", "").replace(',', '.');
    } else if (s.matches("\\d{1,3}(?:,\\d{2})*,\\d{3}(?:\\.\\d+)?") || s.matches("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?")) {
      s = s.replace(",", "");
    } else {
      s = s.replace(',', '.');
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO;
    }
  }

  private static Scale scaleOf(String word) {
    String w = word.strip();
    if (w.equals("k") || w.startsWith("thou") || w.startsWith("haz") || w.startsWith("haj") || w.equals("हजार")
        || w.equals(NormalizedText.foldPattern("ألف")) || w.equals(NormalizedText.foldPattern("آلاف"))) {
      return Scale.THOUSAND;
    }
    if (w.equals("ribu") || w.equals("rebu") || w.equals("rb")) return Scale.RIBU;
    if (w.startsWith("l") || w.equals("लाख")) return Scale.LAKH;
    if (w.startsWith("cr") || w.startsWith("kar")
        || w.startsWith(NormalizedText.foldPattern("करोड"))) return Scale.CRORE;
    if (w.startsWith("jt") || w.equals("juta") || w.equals("jta")) return Scale.JUTA;
    if (w.startsWith("b") || w.startsWith("mili") || w.startsWith("mily")) return Scale.BILLION;
    return Scale.MILLION;
  }

  static String currencyCode(String written) {
    String w = written.strip().replace(" ", "");
    if (w.endsWith(".")) w = w.substring(0, w.length() - 1);
    return CURRENCY_CODES.getOrDefault(w, null);
  }

  private static Map<String, String> currencyCodes() {
    Map<String, String> codes = new java.util.HashMap<>();
    for (String w : List.of("rs", "inr", "rupee", "rupees", "rupaye", "rupaiye", "rupay", "rupiya", "rupiye", "rupya",
        "₹", "रुपये", "रुपए", "रुपया", "रुपैया", "रु")) {
      codes.put(NormalizedText.foldPattern(w), "INR");
    }
    for (String w : List.of("$", "us$", "usd", "dollar", "dollars", "bucks")) codes.put(w, "USD");
    for (String w : List.of("s$", "sg$", "sgd")) codes.put(w, "SGD");
    for (String w : List.of("aed", "dhs", "dh", "dirham", "dirhams", "درهم", "دراهم", "د.إ", "دإ")) {
      codes.put(NormalizedText.foldPattern(w), "AED");
    }
    for (String w : List.of("idr", "rp", "rupiah")) codes.put(w, "IDR");
    for (String w : List.of("myr", "rm", "ringgit")) codes.put(w, "MYR");
    for (String w : List.of("eur", "euro", "euros", "€")) codes.put(w, "EUR");
    for (String w : List.of("gbp", "pound", "pounds", "£")) codes.put(w, "GBP");
    for (String w : List.of("sar", "riyal", "riyals", "ريال")) codes.put(NormalizedText.foldPattern(w), "SAR");
    codes.put("qar", "QAR");
    codes.put("kwd", "KWD");
    codes.put("omr", "OMR");
    return Map.copyOf(codes);
  }

  private static Map<String, BigDecimal> numberWords() {
    Map<String, BigDecimal> words = new java.util.HashMap<>();
    String[][] table = {
        {"1.5", "dedh", "derh", "dedd", "डेढ़", "डेढ"}, {"2.5", "dhai", "dhaai", "adhai", "adhaai", "ढाई"},
        {"1.25", "sawa", "सवा"}, {"0.5", "half", "half a", "aadha", "adha", "setengah", "نص", "نصف"},
        {"1", "one", "a", "an", "ek", "एक", "satu", "واحد"}, {"2", "two", "do", "दो", "dua", "اثنين"},
        {"3", "three", "teen", "tin", "तीन", "tiga", "ثلاث", "ثلاثة"}, {"4", "four", "char", "chaar", "चार", "empat",
        "اربع", "أربعة"}, {"5", "five", "paanch", "panch", "पांच", "पाँच", "lima", "خمس", "خمسة"},
        {"6", "six", "chhe", "chhah", "छह", "छः", "enam", "ست", "ستة"}, {"7", "seven", "saat", "सात", "tujuh", "سبع",
        "سبعة"}, {"8", "eight", "aath", "आठ", "delapan", "lapan", "ثمان", "ثمانية"}, {"9", "nine", "nau", "नौ",
        "sembilan", "تسع", "تسعة"}, {"10", "ten", "das", "दस", "sepuluh", "عشر", "عشرة"},
        {"20", "twenty", "bees", "बीस", "عشرين"}, {"50", "fifty", "pachas", "pachaas", "पचास", "خمسين"}};
    for (String[] row : table) {
      for (int i = 1; i < row.length; i++) words.put(NormalizedText.foldPattern(row[i]), new BigDecimal(row[0]));
    }
    return Map.copyOf(words);
  }

  /** A regex alternation of literal words, longest first so that "lakhs" is tried before "lakh". */
  static String alternation(java.util.Collection<String> words) {
    return words.stream()
        .sorted((a, b) -> b.length() != a.length() ? b.length() - a.length() : a.compareTo(b))
        .map(w -> Pattern.quote(w.toLowerCase(Locale.ROOT)))
        .reduce((a, b) -> a + "|" + b)
        .map(s -> "(?:" + s + ")")
        .orElse("(?!)");
  }
}
