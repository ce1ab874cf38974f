package io.flexoraa.engine.ai.builtin;

import java.time.DayOfWeek;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calendar words {@link TimelinePhrases} reads, in English, Hinglish, Hindi, Arabic and Bahasa, folded like the
 * text ({@link NormalizedText}): months, weekdays, festivals, seasons, counts and units of time, and the words that
 * put a date before or after its name.
 */
final class CalendarWords {
  private CalendarWords() {}

  static final Set<String> BEFORE_WORDS = Set.of(NormalizedText.foldPattern("before"), "sebelum",
      NormalizedText.foldPattern("قبل"), "se pehle", "se pahle", "ke pehle", NormalizedText.foldPattern("से पहले"),
      "menjelang", "jelang");
  static final Set<String> AFTER_WORDS = Set.of("after", "post", "setelah", "sesudah", "selepas", "lepas", "habis",
      "abis", "pas", NormalizedText.foldPattern("بعد"), "ke baad", "ke bad", "baad",
          NormalizedText.foldPattern("के बाद"),
      NormalizedText.foldPattern("बाद"));
  static final Set<String> PAST_WORDS = Set.of("since", "sejak", "last", "pichle");

  static final Map<String, Integer> MONTHS = months();
  /** Month names that are also everyday words ("may", Hindi "mar", Malay "mac"): a date needs more than the name. */
  static final Set<String> AMBIGUOUS_MONTHS = Set.of("may", "mar", "mac", "mei", "dis");
  static final Set<String> SHORT_WEEKDAYS = Set.of("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
      "sat", "sun");
  static final String MONTH_NAMES = Amounts.alternation(MONTHS.keySet());

  private static Map<String, Integer> months() {
    String[][] table = {
        {"january", "jan", "januari", "जनवरी", "يناير", "كانون الثاني"},
        {"february", "feb", "februari", "pebruari", "फरवरी", "فبراير", "شباط"},
        {"march", "mar", "maret", "mac", "मार्च", "مارس", "آذار"},
        {"april", "apr", "अप्रैल", "ابريل", "أبريل", "نيسان"},
        {"may", "mei", "मई", "مايو", "أيار"},
        {"june", "jun", "juni", "जून", "يونيو", "حزيران"},
        {"july", "jul", "juli", "julai", "जुलाई", "يوليو", "تموز"},
        {"august", "aug", "agustus", "ogos", "अगस्त", "أغسطس", "اغسطس"},
        {"september", "sept", "sep", "सितंबर", "सितम्बर", "سبتمبر", "أيلول"},
        {"october", "oct", "oktober", "okt", "अक्टूबर", "अक्तूबर", "أكتوبر", "اكتوبر", "تشرين الأول"},
        {"november", "nov", "नवंबर", "नवम्बर", "نوفمبر", "تشرين الثاني"},
        {"december", "dec", "desember", "dis", "दिसंबर", "दिसम्बर", "ديسمبر", "كانون الأول"}};
    Map<String, Integer> months = new HashMap<>();
    for (int i = 0; i < table.length; i++) {
      for (String name : table[i]) months.put(NormalizedText.foldPattern(name), i + 1);
    }
    return Map.copyOf(months);
  }

  static final Map<String, String> FESTIVAL_NAMES = festivalNames();

  private static Map<String, String> festivalNames() {
    Map<String, String> names = new HashMap<>();
    Map<String, List<String>> table = Map.of(
        Festivals.DIWALI, List.of("diwali", "deepavali", "divali", "dipawali", "deepawali", "दिवाली", "दीवाली",
            "दीपावली"),
        Festivals.DHANTERAS, List.of("dhanteras", "धनतेरस"),
        Festivals.HOLI, List.of("holi", "होली"),
        Festivals.CHRISTMAS, List.of("christmas", "xmas", "x-mas", "natal", "krismas", "क्रिसमस", "الكريسماس",
            "عيد الميلاد"),
        Festivals.NEW_YEAR, List.of("new year", "new years", "new year's", "naya saal", "naye saal", "nye saal",
            "नया साल", "नए साल", "नये साल", "tahun baru", "راس السنه", "رأس السنة"),
        Festivals.CHINESE_NEW_YEAR, List.of("chinese new year", "lunar new year", "cny", "imlek", "tahun baru cina",
            "tahun baru imlek"),
        Festivals.RAMADAN, List.of("ramadan", "ramzan", "ramadhan", "ramazan", "रमजान", "رمضان", "bulan puasa",
            "puasa"),
        Festivals.EID_AL_FITR, List.of("eid", "eid ul fitr", "eid al fitr", "eid-ul-fitr", "eid-al-fitr", "eidul fitr",
            "lebaran", "idul fitri", "idulfitri", "hari raya", "hari raya aidilfitri", "aidilfitri", "raya",
            "عيد الفطر", "العيد", "ईद"),
        Festivals.EID_AL_ADHA, List.of("bakrid", "bakra eid", "eid al adha", "eid ul adha", "eid-ul-adha", "idul adha",
            "iduladha", "hari raya haji", "عيد الأضحى", "बकरीद"));
    table.forEach((festival, spellings) -> spellings.forEach(s -> names.put(NormalizedText.foldPattern(s), festival)));
    return Map.copyOf(names);
  }

  static final Map<String, Integer> ORDINALS = Map.of(
      "first", 1, "second", 2, "third", 3, "fourth", 4, "1st", 1, "2nd", 2, "3rd", 3, "4th", 4);

  /** Northern-hemisphere seasons by their first month (India's summer starts in April; the bands agree). */
  static final Map<String, int[]> SEASONS = seasons();

  private static Map<String, int[]> seasons() {
    Map<String, int[]> seasons = new HashMap<>();
    for (String s : List.of("spring", "musim semi", "الربيع")) seasons.put(NormalizedText.foldPattern(s),
        new int[] {3});
    for (String s : List.of("summer", "summers", "garmi", "garmiyon", "गर्मी", "गर्मियों", "musim panas", "الصيف")) {
      seasons.put(NormalizedText.foldPattern(s), new int[] {6});
    }
    for (String s : List.of("monsoon", "rains", "barish", "baarish", "बारिश", "मानसून", "musim hujan")) {
      seasons.put(NormalizedText.foldPattern(s), new int[] {7});
    }
    for (String s : List.of("autumn", "fall", "الخريف")) seasons.put(NormalizedText.foldPattern(s), new int[] {9});
    for (String s : List.of("winter", "winters", "sardi", "sardiyon", "सर्दी", "सर्दियों", "الشتاء")) {
      seasons.put(NormalizedText.foldPattern(s), new int[] {12});
    }
    return Map.copyOf(seasons);
  }

  static final Map<String, Double> COUNT_WORDS = countWords();

  private static Map<String, Double> countWords() {
    Map<String, Double> words = new HashMap<>();
    String[][] table = {
        {"0.5", "half a", "half"}, {"1", "a", "an", "one", "ek", "एक", "satu"},
        {"1.5", "dedh", "डेढ़", "one and a half"}, {"2", "two", "couple of", "a couple of", "couple", "do", "दो",
            "dua"},
        {"2.5", "dhai", "ढाई"}, {"3", "three", "few", "a few", "teen", "तीन", "tiga", "ثلاث", "ثلاثة"},
        {"4", "four", "several", "char", "chaar", "चार", "empat", "اربع", "أربعة"},
        {"5", "five", "paanch", "panch", "पांच", "lima", "خمس", "خمسة"}, {"6", "six", "chhe", "छह", "enam", "ست",
            "ستة"},
        {"7", "seven", "saat", "सात", "tujuh"}, {"8", "eight", "aath", "आठ", "delapan", "lapan"},
        {"9", "nine", "nau", "नौ", "sembilan"}, {"10", "ten", "das", "दस", "sepuluh", "عشر", "عشرة"},
        {"11", "eleven"}, {"12", "twelve", "barah"}, {"15", "fifteen", "pandrah"}};
    for (String[] row : table) {
      for (int i = 1; i < row.length; i++) words.put(NormalizedText.foldPattern(row[i]), Double.parseDouble(row[0]));
    }
    return Map.copyOf(words);
  }

  static final String COUNT = "\\d{1,3}(?:[.,]5)?|" + Amounts.alternation(COUNT_WORDS.keySet());

  static final Map<String, Character> UNITS = units();
  /** Arabic duals: شهرين is "two months". */
  static final Map<String, String> UNIT_OF_DUAL = duals();

  private static Map<String, String> duals() {
    Map<String, String> duals = new HashMap<>();
    for (String[] pair : new String[][] {{"يومين", "days"}, {"اسبوعين", "weeks"}, {"أسبوعين", "weeks"},
        {"شهرين", "months"}, {"سنتين", "years"}, {"عامين", "years"}}) {
      duals.put(NormalizedText.foldPattern(pair[0]), pair[1]);
    }
    return Map.copyOf(duals);
  }

  private static Map<String, Character> units() {
    Map<String, Character> units = new HashMap<>();
    for (String u : List.of("minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "ghante", "ghanta",
        "घंटे", "jam", "menit", "ساعه", "ساعات", "دقيقه", "دقائق")) {
      units.put(NormalizedText.foldPattern(u), 'h');
    }
    for (String u : List.of("day", "days", "din", "dino", "दिन", "दिनों", "hari", "يوم", "ايام", "أيام")) {
      units.put(NormalizedText.foldPattern(u), 'd');
    }
    for (String u : List.of("week", "weeks", "wk", "wks", "hafte", "hafta", "hafton", "हफ्ते", "हफ्ता", "हफ्तों",
        "सप्ताह", "minggu", "pekan", "اسبوع", "أسبوع", "اسابيع", "أسابيع")) {
      units.put(NormalizedText.foldPattern(u), 'w');
    }
    for (String u : List.of("month", "months", "mahine", "mahina", "mahino", "mahinon", "महीने", "महीना", "महीनों",
        "माह",
        "bulan", "شهر", "اشهر", "أشهر", "شهور")) {
      units.put(NormalizedText.foldPattern(u), 'm');
    }
    for (String u : List.of("year", "years", "yr", "yrs", "saal", "sal", "साल", "वर्ष", "tahun", "سنه", "سنة", "سنوات",
        "عام", "اعوام", "أعوام")) {
      units.put(NormalizedText.foldPattern(u), 'y');
    }
    return Map.copyOf(units);
  }

  static final String UNIT_NAMES = Amounts.alternation(UNITS.keySet());

  static final Map<String, DayOfWeek> WEEKDAYS = weekdays();

  private static Map<String, DayOfWeek> weekdays() {
    Map<String, DayOfWeek> days = new HashMap<>();
    String[][] table = {
        {"monday", "mon", "somvar", "somwar", "सोमवार", "senin", "isnin", "الاثنين", "الإثنين"},
        {"tuesday", "tue", "tues", "mangalvar", "mangalwar", "मंगलवार", "selasa", "الثلاثاء"},
        {"wednesday", "wed", "budhvar", "budhwar", "बुधवार", "rabu", "الاربعاء", "الأربعاء"},
        {"thursday", "thu", "thur", "thurs", "guruvar", "guruwar", "brihaspativar", "गुरुवार", "बृहस्पतिवार", "kamis",
            "khamis", "الخميس"},
        {"friday", "fri", "shukravar", "shukrawar", "शुक्रवार", "jumat", "jum'at", "jumaat", "الجمعة"},
        {"saturday", "sat", "shanivar", "shaniwar", "शनिवार", "sabtu", "السبت"},
        {"sunday", "sun", "ravivar", "raviwar", "itwar", "रविवार", "ahad", "الأحد", "الاحد"}};
    for (int i = 0; i < table.length; i++) {
      for (String name : table[i]) days.put(NormalizedText.foldPattern(name), DayOfWeek.of(i + 1));
    }
    return Map.copyOf(days);
  }
}
