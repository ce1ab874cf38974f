package io.flexoraa.engine.ai.builtin;

import static io.flexoraa.engine.ai.builtin.Amounts.B;
import static io.flexoraa.engine.ai.builtin.Amounts.E;
import static io.flexoraa.engine.ai.builtin.Amounts.lookBehind;
import static io.flexoraa.engine.ai.builtin.NormalizedText.pattern;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.Budget;
import io.flexoraa.engine.ai.builtin.Amounts.Amount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the budget a lead states in English, Hinglish, Hindi, Arabic or Bahasa (issue 6; conventions in
 * {@code ../shared/eval/README.md}).
 *
 * <p>Cue-driven: {@link Amounts} reads every amount, and an amount is the budget only when the lead says it is its
 * own — a budget word next to it ("budget 8-10 lakh", "50k ka budget", "الميزانية ٢٠ ألف درهم"), a spending verb
 * ("can spend", "खर्च कर सकता", "afford"), or a limit on explicit money ("under 1 lakh", "10 lakh tak", "max SGD
 * 90k"). Amounts near words that make them someone else's figure or a different kind of money (quoted, offering,
 * paid, refund, invoice, loan, insured, salary, revenue, "3 lakh more", "6L over our budget") are never the budget.
 * When several amounts qualify, the strongest cue wins, then the first.
 *
 * <p>An amount with no currency of its own takes one from the message (another amount's currency, its script:
 * Devanagari INR, Arabic AED, Bahasa IDR or MYR), else the default currency — INR unless configured
 * ({@code flexoraa.ai.builtin.default-currency}) or passed, the engine's home market (decision 0025).
 */
public final class BudgetExtractor {
  private final UsdRates rates;
  private final String defaultCurrency;

  /** Amounts that name no currency and carry no hint are INR. */
  public BudgetExtractor(UsdRates rates) {
    this(rates, "INR");
  }

  public BudgetExtractor(UsdRates rates, String defaultCurrency) {
    this.rates = rates;
    this.defaultCurrency = defaultCurrency == null || defaultCurrency.isBlank() ? "INR" : defaultCurrency;
  }

  /** {@code flexoraa.ai.builtin.usd-rates} and {@code default-currency}. */
  public static BudgetExtractor fromConfig(Config config) {
    return new BudgetExtractor(UsdRates.fromConfig(config), config.getString("flexoraa.ai.builtin.default-currency"));
  }

  public UsdRates rates() {
    return rates;
  }

  /** The stated budget, or empty when the text states none (quotes, phone numbers, sqft... are not budgets). */
  public Optional<Budget> extract(String text) {
    return extract(text, defaultCurrency);
  }

  /**
   * The stated budget; {@code defaultCurrency} (ISO code, e.g. the tenant's) prices an amount that names no currency
   * when the message gives no hint either. Never throws.
   */
  public Optional<Budget> extract(String text, String defaultCurrency) {
    if (text == null || text.isBlank()) return Optional.empty();
    NormalizedText normalized = NormalizedText.of(text);
    String folded = normalized.text();
    var amounts = Amounts.scan(normalized);
    Candidate best = null;
    for (Amount amount : amounts) {
      Candidate candidate = judge(folded, amount, amounts);
      if (candidate != null && (best == null || candidate.strength > best.strength)) best = candidate;
    }
    if (best == null) return Optional.empty();
    String currency = best.amount.currencyOr(contextCurrency(folded, amounts, defaultCurrency));
    Optional<BigDecimal> perUsd = rates.perUsd(currency);
    if (perUsd.isEmpty() || perUsd.get().signum() <= 0) return Optional.empty();
    BigDecimal amount = best.amount.value();
    if (best.amount.scale() == Amounts.Scale.M && currency.equals("IDR")) {
      amount = amount.multiply(BigDecimal.valueOf(1_000)); // "1,2 M" in rupiah is miliar
    }
    amount = amount.stripTrailingZeros();
    if (amount.scale() < 0) amount = amount.setScale(0);
    long usd = amount.divide(perUsd.get(), 0, RoundingMode.HALF_UP).longValue();
    String bucket = Budget.bucketOf(usd);
    if (usd < 1_000 && STATED_1K_5K.matcher(folded).find()) bucket = Budget.B_1K_5K;
    return Optional.of(new Budget(amount, currency, best.period, usd, bucket,
        normalized.original(best.spanStart, best.spanEnd)));
  }

  private record Candidate(Amount amount, int strength, String period, int spanStart, int spanEnd) {}

  /** Cue strengths: a budget word beats a spending verb beats a limit on money beats "around X" with a want. */
  private static final int BUDGET_WORD = 4;
  private static final int SPEND_VERB = 3;
  private static final int LIMIT = 2;
  private static final int WANT = 1;

  private static Candidate judge(String text, Amount amount, List<Amount> amounts) {
    int clauseStart = clauseStart(text, amount.start());
    int clauseEnd = clauseEnd(text, amount.end());
    if (amount.value().signum() <= 0) return null;

    // left of the number: [budget word] [period] [qualifier] amount
    int left = amount.start();
    Matcher qualifier = lookBehind(QUALIFIER_BEFORE, text, left, 30);
    boolean limitBefore = false;
    boolean approxBefore = false;
    boolean includedQualifier = false;
    if (qualifier.find() && qualifier.start() >= clauseStart) {
      limitBefore = qualifier.group("limit") != null || qualifier.group("limitx") != null;
      approxBefore = qualifier.group("approx") != null || qualifier.group("approx2") != null;
      includedQualifier = qualifier.group("limitx") == null && qualifier.group("floor") == null;
      left = qualifier.start();
    }
    int spanStart = includedQualifier ? left : amount.start();
    String period = null;
    Matcher periodBefore = lookBehind(PERIOD_BEFORE, text, left, 24);
    if (periodBefore.find() && periodBefore.start() >= clauseStart) {
      period = periodOf(periodBefore);
      if (spanStart == left) spanStart = periodBefore.start();
      left = periodBefore.start();
    }

    // right of the number: amount [period] [limit] [budget word]
    int right = amount.end();
    int spanEnd = amount.end();
    boolean limitAfter = false;
    for (int pass = 0; pass < 2; pass++) {
      Matcher periodAfter = PERIOD_AFTER.matcher(text).region(right, clauseEnd);
      if (period == null && periodAfter.lookingAt()) {
        period = periodOf(periodAfter);
        right = spanEnd = periodAfter.end();
      }
      Matcher limit = LIMIT_AFTER.matcher(text).region(right, clauseEnd);
      if (!limitAfter && limit.lookingAt()) {
        limitAfter = true;
        right = spanEnd = limit.end();
      }
    }

    int phraseEnd = Math.min(clauseEnd, commaAfter(text, right));
    if (RIGHT_NEGATIVE.matcher(text).region(right, phraseEnd).lookingAt()) return null;

    int strength = 0;
    Cue cue = lastCue(text, clauseStart, left);
    if (cue != null && (!gapIsShort(text, cue.end(), left, amounts)
        || lookBehind(OVER_BEFORE, text, cue.start(), 20).find())) {
      cue = null;
    }
    if (cue != null) {
      strength = cue.word() ? BUDGET_WORD : SPEND_VERB;
      // "Budget 8-10 lakh", "budget around 1.2L": the budget word belongs to the statement; "budget is about X" and
      // "budget: under X" start at the qualifier, and so does Arabic's verbless "الميزانية حوالي X" ("is" implied)
      boolean arabicBeforeQualifier = left < amount.start() && text.charAt(cue.start()) >= '\u0600'
          && text.charAt(cue.start()) <= '\u06FF';
      if (cue.word() && text.substring(cue.end(), left).isBlank() && !arabicBeforeQualifier) spanStart = cue.start();
      if (period == null) period = periodIn(text, Math.max(clauseStart, cue.start() - 20), left);
    }
    Matcher cueAfter = CUE.matcher(text).region(right, Math.min(clauseEnd, right + 45));
    if (strength < BUDGET_WORD && cueAfter.find() && gapIsShort(text, right, cueAfter.start(), amounts)
        && text.substring(right, cueAfter.start()).indexOf(',') < 0
        && !NOT_OWN_AFTER.matcher(text).region(right, cueAfter.start()).find()
        && !startsAnotherAmount(text, cueAfter.end(), clauseEnd)) {
      boolean word = cueAfter.group("word") != null;
      strength = Math.max(strength, word ? BUDGET_WORD : SPEND_VERB);
      if (word && text.substring(right, cueAfter.start()).isBlank()) spanEnd = cueAfter.end();
    }
    boolean ownMoney = amount.explicitMoney();
    boolean wants = WANT_VERB.matcher(text).region(clauseStart, clauseEnd).find();
    // a limit on money is the lead's ceiling: "under 1 lakh", "10 lakh tak", "20k max" (counts were dropped as units)
    if (strength == 0 && (limitBefore || limitAfter) && (ownMoney || amount.scale() != Amounts.Scale.NONE)) {
      strength = LIMIT;
    }
    // "around 3-4 lakh per person", "2bhk chahiye 45 lac me": explicit money the lead wants, not a price it asks about
    boolean question = clauseEnd < text.length() && text.charAt(clauseEnd) == '?';
    if (strength == 0 && ownMoney && (wants && (approxBefore || lookBehind(FOR_BEFORE, text, left, 12).find()
            || FOR_AFTER.matcher(text).region(right, clauseEnd).lookingAt())
        || approxBefore && !question && !SOFT_NEGATIVE.matcher(text).region(clauseStart, clauseEnd).find())) {
      strength = WANT;
    }
    if (strength == 0) return null;
    // another party's figure or another kind of money
    int from = cue != null ? cue.end() : Math.max(clauseStart, left - 40);
    if (HARD_NEGATIVE.matcher(text).region(from, left).find()) return null;
    if (strength == WANT && SOFT_NEGATIVE.matcher(text).region(clauseStart, left).find()) return null;
    if (amount.scale() == Amounts.Scale.NONE && amount.currency() == null && amount.value().compareTo(HUNDRED) < 0
        && period == null) {
      return null; // "budget 5" is a count or a slip, not a price; "55 per kg" is a price
    }
    return new Candidate(amount, strength, period == null ? "total" : period, spanStart, spanEnd);
  }

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** A cue word and whether it is a budget word (else a spending verb). */
  private record Cue(int start, int end, boolean word) {}

  private static Cue lastCue(String text, int from, int to) {
    if (to <= from) return null;
    Matcher m = CUE.matcher(text).region(Math.max(from, to - 60), to).useTransparentBounds(true);
    Cue last = null;
    while (m.find()) last = new Cue(m.start(), m.end(), m.group("word") != null);
    return last;
  }

  /** Between a cue and its amount: a few words ("for the whole trip for 2 people is"), no other amount. */
  private static boolean gapIsShort(String text, int from, int to, List<Amount> amounts) {
    if (to - from > 50) return false;
    for (Amount other : amounts) if (other.start() >= from && other.start() < to) return false;
    String gap = text.substring(from, to);
    return gap.isBlank() || gap.strip().split("[\\s,]+").length <= 8;
  }

  /** "price 50k, budget 40k": a budget word right before another number is that number's cue. */
  private static boolean startsAnotherAmount(String text, int from, int clauseEnd) {
    int to = Math.min(clauseEnd, from + 16);
    for (int i = from; i < to; i++) if (Character.isDigit(text.charAt(i))) return true;
    return false;
  }

  private static int commaAfter(String text, int from) {
    int comma = text.indexOf(',', from);
    return comma < 0 ? text.length() : comma;
  }

  private static int clauseStart(String text, int at) {
    for (int i = at - 1; i >= 0; i--) {
      if (isBreak(text, i)) return i + 1;
    }
    return 0;
  }

  private static int clauseEnd(String text, int at) {
    for (int i = at; i < text.length(); i++) {
      if (isBreak(text, i)) return i;
    }
    return text.length();
  }

  /** A sentence or field break; a full stop only before a space and not after an abbreviation like "Rs.". */
  private static boolean isBreak(String text, int i) {
    char c = text.charAt(i);
    if (c == '\n' || c == '|' || c == ';' || c == '!' || c == '?') return true;
    if (c != '.' || i + 1 >= text.length() || text.charAt(i + 1) != ' ') return false;
    int wordStart = i;
    while (wordStart > 0 && Character.isLetter(text.charAt(wordStart - 1))) wordStart--;
    return !ABBREVIATIONS.matcher(text.substring(wordStart, i)).matches();
  }

  private static String periodOf(Matcher m) {
    if (m.group("monthly") != null) return "monthly";
    if (m.group("yearly") != null) return "yearly";
    if (m.group("person") != null) return "per_person";
    return "per_unit";
  }

  private static String periodIn(String text, int from, int to) {
    Matcher m = PERIOD_ANYWHERE.matcher(text).region(from, to);
    return m.find() ? periodOf(m) : null;
  }

  private String contextCurrency(String text, Iterable<Amount> amounts, String fallback) {
    for (Amount a : amounts) if (a.currency() != null) return a.currency();
    Matcher named = CURRENCY_NAMED.matcher(text);
    if (named.find()) {
      String code = Amounts.currencyCode(named.group());
      if (code != null) return code;
    }
    int devanagari = 0;
    int arabic = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '\u0900' && c <= '\u097F') devanagari++;
      else if (c >= '\u0600' && c <= '\u06FF') arabic++;
    }
    if (devanagari > 0 && devanagari >= arabic) return "INR";
    if (arabic > 0) return "AED";
    if (HINGLISH.matcher(text).find()) return "INR";
    int indonesian = count(INDONESIAN, text);
    int malay = count(MALAY, text);
    if (indonesian > 0 && indonesian >= malay) return "IDR";
    if (malay > 0) return "MYR";
    return fallback == null || fallback.isBlank() ? defaultCurrency : fallback;
  }

  private static int count(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) n++;
    return n;
  }


  private static final Pattern ABBREVIATIONS = Pattern.compile("rs|no|nos|approx|appx|max|min|mr|mrs|ms|dr|st|p|m|a|"
      + "ft|sq|"
      + "vs|etc|pvt|ltd|inc|co|dhs|rp");

  private static final Pattern STATED_1K_5K = Pattern.compile(B + "\\$?1k\\s?-\\s?\\$?5k" + E);

  /** Budget words (group "word") and spending verbs. */
  private static final Pattern CUE = pattern(B + "(?:(?<word>budget\\p{L}*|budjet|bajet|bajat|badget|bujet|बजट|"
      + "anggaran\\p{L}*"
      + "|(?:و|ف|ب|ل)?(?:ال)?ميزاني\\p{L}*|price range|range|dana)|"
      + "(?:can|could|will|would|wanna|want to|willing to|ready to|looking to|plan to|planning to|able to|prepared to|"
      + "happy to|cant|can't|cannot|won't|wont)\\s(?:spend|pay|invest|afford|go)|afford|spend|spending|invest|"
      + "can do|could do|can offer|could offer|can give|de sakta|de sakte|de sakti|de dunga|de denge|"
      + "i have|i've got|we have|we've got|i only have|we only have|mere paas|mere pass|mere pas|hamare paas|"
      + "hamare pass|"
      + "hamare pas|मेरे पास|हमारे पास|عندي|عندنا|معي|saya punya|saya ada|aku punya|ada dana|"
      + "can go up ?to|stretch(?: up)? to|allocated|allocate|set aside|earmarked|sanctioned|approved budget|"
      + "kharch\\p{L}*|karch\\p{L}*|खर्च|laga sak\\p{L}*|lagane|lagana|de sak\\p{L}*|"
      + "दे सक\\p{L}*|mampu|sanggup|siap bayar|bisa bayar|mampu bayar|sedia bayar|boleh bayar|"
      + "(?:اقدر|أقدر|اقدر|مستعد)\\s?(?:ادفع|أدفع)|ادفع|أدفع|بدفع)" + E);

  /** Before the amount: a limit kept in the budget text (group limit), one left out (limitx), or an approximation. */
  private static final Pattern QUALIFIER_BEFORE = pattern(B + "(?:"
      + "(?<limit>under|below|upto|up to|max\\.?|maximum|within|maks\\.?|maksimal|maksimum|di ?bawah|bawah|hingga|"
      + "sampai|"
      + "في حدود|بحدود|حدود|لحد|الى حد)"
      + "|(?<limitx>not more than|no more than|not exceeding|less than|lower than|at ?most|kurang dari|tidak lebih dari"
      + "|اقل من|أقل من|لا يتجاوز|لا تتجاوز|ما يزيد عن)"
      + "|(?<floor>more than|over|above|starting|from|min\\.?|minimum)"
      + "|(?<approx>around|arround|about|approx\\.?|approximately|roughly|nearly|close to|somewhere around|lagbhag|"
      + "lagbag|karib|kareeb|kareb|takriban|takreeban|लगभग|करीब|तकरीबन|sekitar|kisaran|kira-kira|kurang lebih|"
      + "lebih kurang|حوالي|حوالى|تقريبا|between|btw))\\s{0,2}$|(?<approx2>~|≈|±)\\s{0,2}$");

  private static final Pattern LIMIT_AFTER = pattern("\\s{0,2}(?:(?:se|से) (?:zyada|jyada|upar|ज्यादा|ऊपर) (?:nahi|"
      + "nahin|"
      + "nhi|नहीं)|tak|takk|tk|paryant|paryanta|parayant|sampai|max\\.?|"
      + "maximum|maks|tops|at most|or less|or below|or under|se kam|ke andar|ke under|ke niche|ke neeche|ke bheetar|"
      + "तक|पर्यंत|से कम|के अंदर|के भीतर)" + E);

  private static final String MONTHLY = "months?|mon|mo|mth|mnth|mahina|mahine|maheena|महीना|महीने|माह|bulan|bln|شهر";
  private static final String YEARLY = "years?|yr|yrs|annum|saal|sal|साल|वर्ष|tahun|thn|سنه|عام";
  private static final String PERSON = "person|persons|head|pax|guest|adult|people|individual|व्यक्ति|orang|شخص|فرد";
  private static final String UNIT = "unit|piece|pc|pcs|item|seat|user|employee|licen[cs]e|sq\\.?\\s?ft|sqft|sft|kg|"
      + "night|session|class|room|device|bottle|box|पीस|यूनिट|biji|buah|قطعه|حبه";

  private static final Pattern PERIOD_AFTER = pattern("\\s{0,2}(?:"
      + "(?<monthly>(?:/\\s?|per\\s?|a\\s|an\\s|every\\s|each\\s|har\\s|in a\\s|prati\\s|प्रति\\s|हर\\s|tiap\\s|"
      + "setiap\\s|كل\\s|في\\s?ال|بال)(?:"
      + MONTHLY + ")|monthly|p\\.m\\.?|pm|/m|mahina|mahine ka|maheene ka|महीने का|महीना|sebulan|bulanan|perbulan|"
      + "شهريا|شهري)"
      + "|(?<yearly>(?:/\\s?|per\\s?|a\\s|an\\s|every\\s|each\\s|har\\s|prati\\s|प्रति\\s|हर\\s|tiap\\s|setiap\\s|"
      + "كل\\s|في\\s?ال|بال)(?:"
      + YEARLY + ")|annually|yearly|p\\.a\\.?|pa|per annum|salana|saalana|सालाना|setahun|tahunan|سنويا|سنوي)"
      + "|(?<person>(?:/\\s?|per\\s?|a\\s|each\\s|prati\\s|प्रति\\s|ل\\s?ل|لكل\\s)(?:" + PERSON + ")|pp|p\\.p\\.|"
      + "per banda|"
      + "per bande|seorang|للشخص|للفرد)"
      + "|(?<unit>(?:/\\s?|per\\s?|a\\s|each\\s|prati\\s|प्रति\\s|لل|لكل\\s)(?:" + UNIT + ")|each|apiece))" + E);

  private static final Pattern PERIOD_BEFORE = pattern(B + "(?:"
      + "(?<monthly>monthly|per month|a month|every month|har mahine(?: ka)?|mahine ka|mahina|महीने का|हर महीने|"
      + "प्रति माह"
      + "|bulanan|per bulan|sebulan|شهريا|الشهري)"
      + "|(?<yearly>yearly|annual|annually|per year|per annum|saal ka|salana|सालाना|साल का|tahunan|per tahun|setahun|"
      + "سنويا|السنوي)"
      + "|(?<person>per person|per head|per pax|प्रति व्यक्ति|per orang|للشخص)"
      + "|(?<unit>per unit|per piece|per seat|प्रति पीस))\\s{0,2}$");

  private static final Pattern PERIOD_ANYWHERE = pattern(B + "(?:"
      + "(?<monthly>monthly|per month|a month|every month|mahine|महीने|bulanan|per bulan|شهري\\p{L}*|الشهري\\p{L}*)"
      + "|(?<yearly>yearly|annual|annually|per year|per annum|salana|सालाना|tahunan|per tahun|سنوي\\p{L}*|"
      + "السنوي\\p{L}*)"
      + "|(?<person>per person|per head|per pax|प्रति व्यक्ति|per orang)"
      + "|(?<unit>per unit|per piece|per seat))" + E);

  /** Right after the amount: a difference or someone else's figure ("3 lakh more", "50 hazar kam me", "de raha"). */
  private static final Pattern RIGHT_NEGATIVE = pattern("\\s{0,2}(?:[\\p{L}\\p{M}]+\\s){0,2}?(?:more|less|extra|"
      + "cheaper|costlier|"
      + "higher|lower|discount\\p{L}*|off|zyada|jyada|jada|zada|ziada|jyaada|kam|mehnga|mehenga|sasta|adhik|"
      + "ज्यादा|जादा|कम|अधिक|सस्ता|महंगा|lebih|kurang|murah|mahal|اكثر|أكثر|اقل|أقل|زياده|ارخص|اغلى|"
      + "de raha|de rahe|de rhe|kar raha|kar rahe|kar rha|me kar|mein kar|offer\\p{L}*|quot\\p{L}*|paid|diya|diye|"
      + "refund\\p{L}*|loan|emi|salary|cover|insured|revenue|turnover|bill|invoice|दे रहा|दे रहे|कर रहा|"
      + "में लगवा\\p{L}*)" + E);

  /** A budget word after the amount that is not the lead's: "6L over our budget", "above budget". */
  private static final Pattern NOT_OWN_AFTER = pattern(B + "(?:over|above|beyond|exceed\\p{L}*|out of|outside|"
      + "more than|"
      + "zyada|jyada|se upar|से ऊपर|melebihi|lebih dari|فوق|اكثر من)" + E);
  private static final Pattern OVER_BEFORE = pattern(B + "(?:over|above|beyond|exceeds?|exceeding|out of|outside|"
      + "more than|"
      + "off|melebihi|lebih dari|فوق|اكثر من|خارج)(?:\\s(?:our|my|the|your|its|their|hamare|mere))?\\s{0,2}$");

  /** Someone else's figure or another kind of money, whatever the cue. */
  private static final Pattern HARD_NEGATIVE = pattern(B + "(?:quot\\p{L}*|offer\\p{L}*|charg\\p{L}*|paid|already|"
      + "refund\\p{L}*|invoice\\p{L}*|bill|billed|bills|billing|loan\\p{L}*|emi|insur\\p{L}*|insured|cover|coverage|"
      + "premium|salary|salaries|ctc|income|earn\\p{L}*|revenue|turnover|gmv|doing|down\\s?payment|deposit\\p{L}*|"
      + "discount\\p{L}*|cashback|difference|valuation|mrp|asking|sold|selling|profit|margin|penalty|fine|sum|"
      + "de raha|de rahe|kar raha|kar rahe|bola|bataya|bhara|wapas|kamata|kamai|kiraya|"
      + "दे रहा|कर रहा|लोन|ऋण|कर्ज|किराया|वेतन|तनख्वाह|सैलरी|बिल|रिफंड|"
      + "دفعت|قرض|القرض|فاتوره|الفاتوره|راتب|الراتب|استرداد|عرض|العرض|خصم|تامين|التامين|قسط|"
      + "dibayar|sudah bayar|pinjaman|cicilan|gaji|tagihan|uang muka|penawaran|omzet|omset|diskon|potongan|asuransi|"
      + "premi)" + E);
  /** A price the lead asks about or reports, not one it sets: only weak cues give way to it. */
  private static final Pattern SOFT_NEGATIVE = pattern(B + "(?:price\\p{L}*|cost\\p{L}*|fee|fees|rate|rates|rent|"
      + "daam|dam|keemat|kimat|fees|फीस|कीमत|दाम|रेट|harga|biaya|tarif|سعر|السعر|تكلفه|الرسوم|vs|versus|"
      + "competitor\\p{L}*|dealer|vendor\\p{L}*|others?|their|they|someone|neighbou?r|padosi|पड़ोसी|doosr\\p{L}*|"
      + "dusr\\p{L}*|bahar)" + E);

  private static final Pattern WANT_VERB = pattern(B + "(?:" + NormalizedText.WANT_VERBS + ")" + E);
  private static final Pattern FOR_BEFORE = pattern(B + "(?:in|for|dalam|seharga|بسعر)\\s{0,2}$");
  private static final Pattern FOR_AFTER = pattern("\\s{0,2}(?:me|mein|mai|mei|में|ke andar|tak)" + E);

  private static final Pattern CURRENCY_NAMED = pattern(B + "(?:usd|dollars?|aed|dirhams?|sgd|idr|rupiah|rupees?|inr|"
      + "myr|ringgit|درهم)" + E + "|₹|\\$");
  private static final Pattern HINGLISH = Pattern.compile(B + "(?:hai|hain|ka|ki|ke|chahiye|chaiye|mein|kya|aap|"
      + "hoga|karna|lena|tak|wala|wali|mujhe|humein|hume|bhai|ji)" + E);
  private static final Pattern INDONESIAN = Pattern.compile(B + "(?:saya|aku|mau|nggak|gak|tidak|bisa|berapa|harga|"
      + "untuk|dengan|yang|kak|gan|dong|sih|juga|apakah|jt|rb|juta|ribu|cari|rumah|di|ada|ini|itu|buat|gimana|udah|"
      + "sudah|belum|kalau|kalo)" + E);
  private static final Pattern MALAY = Pattern.compile(B + "(?:nak|boleh|je|lah|ni|macam|kereta|tak|ke|sebab)" + E);
}
