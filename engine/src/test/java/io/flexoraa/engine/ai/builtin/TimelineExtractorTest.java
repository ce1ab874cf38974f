package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.typesafe.config.ConfigFactory;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timeline conventions of {@code ../shared/eval/README.md} on our own examples: bands counted from the given
 * day (not a fixed one), relative phrases in five languages, named months, quarters, seasons and festivals, the
 * purchase date winning over a meeting, paying now winning over a later event, and the timing that is not the lead's
 * purchase timeline (our deadlines, support, the past) giving none.
 */
class TimelineExtractorTest {
  private static final LocalDate SAT_21_NOV_2026 = LocalDate.of(2026, 11, 21);
  private static final LocalDate MON_15_MAR_2027 = LocalDate.of(2027, 3, 15);
  private static final LocalDate WED_10_JUN_2026 = LocalDate.of(2026, 6, 10);

  private final TimelineExtractor extractor = new TimelineExtractor();

  static Stream<Arguments> timelines() {
    LocalDate nov = SAT_21_NOV_2026;
    return Stream.of(
        // IMMEDIATE: now, today, tomorrow, this/next week, within about two weeks
        arguments("need it asap, site is ready", nov, "IMMEDIATE"),
        arguments("urgent requirement for 2 laptops", nov, "IMMEDIATE"),
        arguments("I want to start tomorrow morning", nov, "IMMEDIATE"),
        arguments("can you install it today?", nov, "IMMEDIATE"),
        arguments("we'll decide this week", nov, "IMMEDIATE"),
        arguments("planning to buy next week", nov, "IMMEDIATE"),
        arguments("need delivery within 10 days", nov, "IMMEDIATE"),
        arguments("in 2 weeks we move into the new office", nov, "IMMEDIATE"),
        arguments("need it by 5th December", nov, "IMMEDIATE"),
        arguments("by end of this month we must finalise", nov, "IMMEDIATE"),
        arguments("want to buy right now if the price is ok", nov, "IMMEDIATE"),
        arguments("jaldi chahiye bhai", nov, "IMMEDIATE"),
        arguments("kal se start karna hai", nov, "IMMEDIATE"),
        arguments("is hafte lena hai", nov, "IMMEDIATE"),
        arguments("agle hafte tak delivery chahiye", nov, "IMMEDIATE"),
        arguments("mujhe lavkar ghyaycha aahe", nov, "IMMEDIATE"),
        arguments("इसी हफ्ते खरीदना है", nov, "IMMEDIATE"),
        arguments("आज ही चाहिए", nov, "IMMEDIATE"),
        arguments("نبي نستلم السيارة بكرة", nov, "IMMEDIATE"),
        arguments("ابغاها هذا الاسبوع", nov, "IMMEDIATE"),
        arguments("mau pasang minggu depan", nov, "IMMEDIATE"),
        arguments("butuh segera ya kak", nov, "IMMEDIATE"),
        arguments("nak beli bulan ni", nov, "IMMEDIATE"),
        // a meeting, call, visit or demo when no purchase date is stated
        arguments("can we do a demo on Thursday?", nov, "IMMEDIATE"),
        arguments("site visit this Sunday possible?", nov, "IMMEDIATE"),
        arguments("kal test drive ke liye aa sakta hu?", nov, "IMMEDIATE"),
        arguments("can you call me back in 10 mins?", nov, "IMMEDIATE"),
        arguments("Want to buy in March, can we meet tomorrow?", nov, "3-6MO"),
        // paying or booking now for a later event
        arguments("book the Goa trip for 20-24 jan, sending the advance now", nov, "IMMEDIATE"),
        arguments("please share the payment link, the course starts in February", nov, "IMMEDIATE"),
        // 1-3MO: December to February, next month, Q1, early next year, Christmas, New Year, Chinese New Year
        arguments("want to buy in January", nov, "1-3MO"),
        arguments("shaadi Feb me hai, uske liye chahiye", nov, "1-3MO"),
        arguments("need delivery before 31st Dec", nov, "1-3MO"),
        arguments("agle mahine shift ho rahe hain", nov, "1-3MO"),
        arguments("अगले महीने लेंगे", nov, "1-3MO"),
        arguments("الشهر القادم إن شاء الله", nov, "1-3MO"),
        arguments("rencana beli bulan depan", nov, "1-3MO"),
        arguments("in 2-3 months we open the second branch", nov, "1-3MO"),
        arguments("2 mahine me live karna hai", nov, "1-3MO"),
        arguments("launching in Q1 2027", nov, "1-3MO"),
        arguments("maybe next quarter", nov, "1-3MO"),
        arguments("early next year, once funding closes", nov, "1-3MO"),
        arguments("need the sofa before Christmas", nov, "1-3MO"),
        arguments("for New Year's eve party", nov, "1-3MO"),
        arguments("sebelum Imlek harus selesai", nov, "1-3MO"),
        arguments("mid-January is when we start", nov, "1-3MO"),
        arguments("classes from the 1st week of Jan", nov, "1-3MO"),
        arguments("before March please", nov, "1-3MO"),
        arguments("by year end we want it running", nov, "1-3MO"),
        // 3-6MO: March to May, Q2, after Ramadan / Lebaran, spring, new financial year
        arguments("planning to buy in April", nov, "3-6MO"),
        arguments("after my bonus in March", nov, "3-6MO"),
        arguments("Not looking to change vendors before March", nov, "3-6MO"),
        arguments("3-4 mahine baad lenge", nov, "3-6MO"),
        arguments("target go-live Q2 2027", nov, "3-6MO"),
        arguments("السفر بعد رمضان", nov, "3-6MO"),
        arguments("بعد العيد نبدأ", nov, "3-6MO"),
        arguments("setelah Lebaran baru beli", nov, "3-6MO"),
        arguments("next spring we renovate", nov, "3-6MO"),
        arguments("from the new financial year", nov, "3-6MO"),
        arguments("होली के बाद लेंगे", nov, "3-6MO"),
        arguments("within 6 months", nov, "3-6MO"),
        // EXPLORING: over six months, bare next year, just looking, no hurry, by Diwali
        arguments("just looking for now", nov, "EXPLORING"),
        arguments("no rush, just exploring options", nov, "EXPLORING"),
        arguments("koi jaldi nahi hai, sirf rates dekh raha hu", nov, "EXPLORING"),
        arguments("कोई जल्दी नहीं है", nov, "EXPLORING"),
        arguments("مو مستعجل، بس أسأل", nov, "EXPLORING"),
        arguments("masih lihat-lihat dulu, tidak buru-buru", nov, "EXPLORING"),
        arguments("next year sometime", nov, "EXPLORING"),
        arguments("agle saal dekhenge", nov, "EXPLORING"),
        arguments("want it done by Diwali", nov, "EXPLORING"),
        arguments("possession in 2028, so nothing urgent", nov, "EXPLORING"),
        arguments("in June probably", nov, "EXPLORING"),
        arguments("بعد سنة تقريباً", nov, "EXPLORING"),
        arguments("2 saal baad lenge", nov, "EXPLORING"),
        // web-form fields
        arguments("Name: Ravi | Timeline: 1-3 months | Budget: 2L", nov, "1-3MO"),
        arguments("Timeline - ASAP", nov, "IMMEDIATE"),
        arguments("Start date: Jan 2027 | Mode: online", nov, "1-3MO"),
        arguments("No immediate plans, maybe in a year or two", nov, "EXPLORING"),
        arguments("just wanted the price, will buy later", nov, "EXPLORING"),
        arguments("exploring vendors for next fiscal", nov, "3-6MO"),
        // a stated date wins over a bare "now"
        arguments("our contract ends on 31 March, we want to look at options now", nov, "3-6MO"),
        // an explicit date wins over "not urgent"
        arguments("Not urgent, maybe in February", nov, "1-3MO"),
        // the same words on other days
        arguments("by Diwali", WED_10_JUN_2026, "3-6MO"),
        arguments("after Ramadan", MON_15_MAR_2027, "EXPLORING"),
        arguments("next month", MON_15_MAR_2027, "1-3MO"),
        arguments("in December", WED_10_JUN_2026, "3-6MO"),
        arguments("in January", WED_10_JUN_2026, "EXPLORING"),
        arguments("before Christmas", WED_10_JUN_2026, "3-6MO"),
        arguments("this year", WED_10_JUN_2026, "3-6MO"),
        arguments("Q3", WED_10_JUN_2026, "1-3MO"),
        arguments("sebelum puasa", LocalDate.of(2027, 1, 20), "1-3MO"),
        arguments("sebelum puasa", LocalDate.of(2027, 1, 28), "IMMEDIATE"));
  }

  @ParameterizedTest
  @MethodSource("timelines")
  void bandsTheLeadsTimeline(String text, LocalDate today, String expected) {
    assertThat(extractor.extract(text, today)).as(text + " on " + today).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // nothing about timing
      "what is the price of the 2BHK?",
      "monthly kitna hoga?",
      "do you have a 2 year warranty?",
      "Diwali offer kya hai?",
      // our replies and documents
      "please send the quotation by tomorrow",
      "is the offer valid till 30th?",
      "what are your timings on Sunday?",
      "you said you would email the brochure within 3 days",
      // support and complaints
      "order not delivered, you said next week and it's late again",
      "login nahi ho raha since morning",
      "where is my refund, it has been 2 weeks",
      "وين الحجز؟ الرحلة بكرة",
      "5 din ho gaye, maal kab dispatch hoga",
      // the past and what others said
      "we bought a sofa last December",
      "I visited your showroom last Saturday",
      "kal bheja tha document",
      "had a loan default in 2022",
      // our results, not the lead's timing
      "how many leads can you get me in a month?",
      // "now" that is not about doing something
      "hard to justify right now",
      "Hi, how are you today? What is the price?",
      "need a fast charging phone",
      "thanks for the call today, will revert",
      "aaj kal bahut busy hu",
      "permission abhi nahi mili"})
  void findsNoTimelineWhereTheLeadStatesNone(String text) {
    assertThat(extractor.extract(text, SAT_21_NOV_2026)).as(text).isEmpty();
  }

  @Test
  void festivalDatesComeFromConfigurationAndTheHijriCalendar() {
    Festivals festivals = Festivals.defaults();
    assertThat(festivals.next(Festivals.DIWALI, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 10, 29));
    assertThat(festivals.next(Festivals.CHINESE_NEW_YEAR, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 2, 6));
    assertThat(festivals.next(Festivals.CHRISTMAS, SAT_21_NOV_2026)).hasValue(LocalDate.of(2026, 12, 25));
    assertThat(festivals.next(Festivals.NEW_YEAR, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 1, 1));
    assertThat(festivals.next(Festivals.RAMADAN, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 2, 8));
    assertThat(festivals.after(Festivals.RAMADAN, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 3, 9));
    assertThat(festivals.next(Festivals.EID_AL_ADHA, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 5, 16));
    // during Ramadan, "Ramadan" is the current one
    assertThat(festivals.next(Festivals.RAMADAN, LocalDate.of(2028, 2, 10))).hasValue(LocalDate.of(2028, 1, 28));
    assertThat(festivals.next(Festivals.DIWALI, LocalDate.of(2028, 10, 18))).isEmpty(); // past the table

    Festivals configured = Festivals.fromConfig(ConfigFactory.parseString(
        "flexoraa.ai.builtin.festivals { holi = [\"2027-03-22\"], onam = [\"2027-09-12\"] }"));
    assertThat(configured.next(Festivals.HOLI, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 3, 22));
    assertThat(configured.next("onam", SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 9, 12));
    assertThat(configured.next(Festivals.RAMADAN, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 2, 8));

    Festivals local = new Festivals(Map.of("diwali", List.of(LocalDate.of(2029, 11, 5)),
        "eid-al-fitr", List.of(LocalDate.of(2027, 3, 10))));
    assertThat(local.next(Festivals.DIWALI, SAT_21_NOV_2026)).hasValue(LocalDate.of(2029, 11, 5));
    assertThat(local.next(Festivals.EID_AL_FITR, SAT_21_NOV_2026)).hasValue(LocalDate.of(2027, 3, 10));
    TimelineExtractor withLocalDates = new TimelineExtractor(local);
    assertThat(withLocalDates.extract("by Diwali", SAT_21_NOV_2026)).hasValue("EXPLORING");
  }

  @Test
  void bandEdgesAreFourteenDaysThenCalendarMonths() {
    LocalDate today = SAT_21_NOV_2026;
    assertThat(extractor.extract("by 5 Dec", today)).hasValue("IMMEDIATE");
    assertThat(extractor.extract("by 6 Dec", today)).hasValue("1-3MO");
    assertThat(extractor.extract("by 28 Feb 2027", today)).hasValue("1-3MO");
    assertThat(extractor.extract("by 1 Mar 2027", today)).hasValue("3-6MO");
    assertThat(extractor.extract("by 31 May 2027", today)).hasValue("3-6MO");
    assertThat(extractor.extract("by 1 June 2027", today)).hasValue("EXPLORING");
  }

  @Test
  void neverThrows() {
    Random random = new Random(25);
    String alphabet = "0123456789 ,.-/ next this week month year q1 q2 dec jan march may by before after in within "
        + "days weeks months diwali eid ramadan lebaran kal aaj agle mahine hafte bulan depan minggu الشهر القادم "
        + "بعد رمضان अगले महीने इसी हफ्ते asap urgent just looking no hurry ٠١٢٣٤٥٦٧٨٩ ०१२ 😀\n";
    for (int i = 0; i < 5_000; i++) {
      String text = RandomMessages.next(random, alphabet, 120);
      LocalDate today = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(3 * 365));
      Optional<String> timeline = extractor.extract(text, today);
      timeline.ifPresent(band -> assertThat(band).isIn("IMMEDIATE", "1-3MO", "3-6MO", "EXPLORING"));
    }
    assertThat(extractor.extract(null, SAT_21_NOV_2026)).isEmpty();
    assertThat(extractor.extract("next week", null)).isEmpty();
  }
}
