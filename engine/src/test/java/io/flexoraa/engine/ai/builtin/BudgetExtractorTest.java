package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ai.Budget;
import java.math.BigDecimal;
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
 * The budget conventions of {@code ../shared/eval/README.md} on our own examples: amounts, currencies and scales in
 * English, Hinglish, Hindi, Arabic and Bahasa; ranges take the midpoint, limits take the limit; periods; buckets at
 * their edges; and every kind of amount that is not the lead's budget.
 */
class BudgetExtractorTest {
  private final BudgetExtractor extractor = new BudgetExtractor(UsdRates.defaults());

  static Stream<Arguments> budgets() {
    return Stream.of(
        // English, INR
        arguments("Looking for a 3BHK in Baner, budget around 95 lakhs", "9500000", "INR", "total", 114458, "50K+",
            "budget around 95 lakhs"),
        arguments("My budget is Rs. 35,000 for the wedding shoot", "35000", "INR", "total", 422, "<1K", "Rs. 35,000"),
        arguments("budget of INR 2,50,000 for the fit-out", "250000", "INR", "total", 3012, "1K-5K", "INR 2,50,000"),
        arguments("We can spend up to ₹6 lakh on the kitchen", "600000", "INR", "total", 7229, "5K-50K",
            "up to ₹6 lakh"),
        arguments("Budget: 2-3 crore, ready possession only", "25000000", "INR", "total", 301205, "50K+", "2-3 crore"),
        arguments("We have allocated ₹1.2 crore for the new warehouse", "12000000", "INR", "total", 144578, "50K+",
            "₹1.2 crore"),
        arguments("budget is 1 lakh 50 thousand", "150000", "INR", "total", 1807, "1K-5K", "1 lakh 50 thousand"),
        arguments("Something under 12L please", "1200000", "INR", "total", 14458, "5K-50K", "under 12L"),
        arguments("budget 80,000 rupees only", "80000", "INR", "total", 964, "<1K", "budget 80,000 rupees"),
        arguments("Our budget is between 5 and 8 lakh", "650000", "INR", "total", 7831, "5K-50K",
            "between 5 and 8 lakh"),
        arguments("budget is 2 to 2.5 lakhs", "225000", "INR", "total", 2711, "1K-5K", "2 to 2.5 lakhs"),
        arguments("in the 40-50 lakh range, any options?", "4500000", "INR", "total", 54217, "50K+",
            "40-50 lakh range"),
        // English, other currencies
        arguments("Can spend up to $8k on the new website", "8000", "USD", "total", 8000, "5K-50K", "up to $8k"),
        arguments("Budget = $12,500 for the pilot", "12500", "USD", "total", 12500, "5K-50K", "$12,500"),
        arguments("we're looking at 3000 dollars max", "3000", "USD", "total", 3000, "1K-5K", "3000 dollars max"),
        arguments("S$ 650k budget for a resale condo", "650000", "SGD", "total", 481481, "50K+", "S$ 650k budget"),
        arguments("Budget is AED 4,000 per person for the desert trip", "4000", "AED", "per_person", 1090, "1K-5K",
            "AED 4,000 per person"),
        arguments("budget 2.5 million dirhams for a villa", "2500000", "AED", "total", 681199, "50K+",
            "budget 2.5 million dirhams"),
        // periods
        arguments("cant spend more than $80 a month on software", "80", "USD", "monthly", 80, "<1K", "$80 a month"),
        arguments("Retainer budget is around 2L per month", "200000", "INR", "monthly", 2410, "1K-5K",
            "around 2L per month"),
        arguments("I can pay 15k monthly", "15000", "INR", "monthly", 181, "<1K", "15k monthly"),
        arguments("Budget is ~$6k/yr for the whole team", "6000", "USD", "yearly", 6000, "5K-50K", "~$6k/yr"),
        arguments("annual budget of $20,000", "20000", "USD", "yearly", 20000, "5K-50K", "$20,000"),
        arguments("max 40 rupees per piece for 2000 bottles", "40", "INR", "per_unit", 0, "<1K",
            "max 40 rupees per piece"),
        arguments("per head budget 2500 rs for the team lunch", "2500", "INR", "per_person", 30, "<1K",
            "budget 2500 rs"),
        // Hinglish
        arguments("bhai budget 7 lakh tak hai, second hand bhi chalega", "700000", "INR", "total", 8434, "5K-50K",
            "budget 7 lakh tak"),
        arguments("mera budget do se teen lakh hai", "250000", "INR", "total", 3012, "1K-5K", "budget do se teen lakh"),
        arguments("budget dedh crore ke aas paas", "15000000", "INR", "total", 180723, "50K+", "budget dedh crore"),
        arguments("hamara budget 15 se 20 hazar mahine ka hai", "17500", "INR", "monthly", 211, "<1K",
            "budget 15 se 20 hazar mahine ka"),
        arguments("10 lakh ka budget hai, SUV chahiye", "1000000", "INR", "total", 12048, "5K-50K", "10 lakh"),
        arguments("5 lakh se zyada nahi de sakta", "500000", "INR", "total", 6024, "5K-50K", "5 lakh se zyada nahi"),
        arguments("best phone under 15k chahiye", "15000", "INR", "total", 181, "<1K", "under 15k"),
        arguments("2bhk chahiye 45 lac me", "4500000", "INR", "total", 54217, "50K+", "45 lac"),
        arguments("final price 25000? can do 20k max", "20000", "INR", "total", 241, "<1K", "20k max"),
        arguments("website banwani hai, 10-15 hazar tak", "12500", "INR", "total", 151, "<1K", "10-15 hazar tak"),
        arguments("Around 3-4 lakh per person for the Europe tour", "350000", "INR", "per_person", 4217, "1K-5K",
            "Around 3-4 lakh per person"),
        arguments("My budget for the whole trip for 2 people is around 1.5 lakh", "150000", "INR", "total", 1807,
            "1K-5K", "around 1.5 lakh"),
        arguments("our budget is around 55 per kg", "55", "INR", "per_unit", 1, "<1K", "around 55 per kg"),
        arguments("flat pahije, budget 60 lakh paryant", "6000000", "INR", "total", 72289, "50K+",
            "budget 60 lakh paryant"),
        // Hindi in Devanagari (digits in both scripts)
        arguments("हमारा बजट १५ लाख तक है", "1500000", "INR", "total", 18072, "5K-50K", "बजट १५ लाख तक"),
        arguments("मेरा बजट 50 हज़ार रुपये है", "50000", "INR", "total", 602, "<1K", "बजट 50 हज़ार रुपये"),
        arguments("घर के लिए बजट 1.5 करोड़ है", "15000000", "INR", "total", 180723, "50K+", "बजट 1.5 करोड़"),
        arguments("विज्ञापन पर महीने का 20 हज़ार तक खर्च कर सकते हैं", "20000", "INR", "monthly", 241, "<1K",
            "महीने का 20 हज़ार तक"),
        // Arabic (Arabic-Indic digits, thousand / million words)
        arguments("ميزانيتي ١٥٠ ألف درهم للسيارة", "150000", "AED", "total", 40872, "5K-50K", "ميزانيتي ١٥٠ ألف درهم"),
        arguments("الميزانية ٣ مليون درهم تقريباً", "3000000", "AED", "total", 817439, "50K+",
            "الميزانية ٣ مليون درهم"),
        arguments("ابغى شقة بميزانية ٨٠٠ ألف", "800000", "AED", "total", 217984, "50K+", "بميزانية ٨٠٠ ألف"),
        arguments("الميزانية في حدود ٢٠٠٠٠ درهم", "20000", "AED", "total", 5450, "5K-50K", "في حدود ٢٠٠٠٠ درهم"),
        // Bahasa Indonesia / Malay
        arguments("Budget saya sekitar Rp 50 juta", "50000000", "IDR", "total", 3165, "1K-5K", "sekitar Rp 50 juta"),
        arguments("anggaran 1,5 juta per bulan kak", "1500000", "IDR", "monthly", 95, "<1K",
            "anggaran 1,5 juta per bulan"),
        arguments("dana sekitar 200 jt buat renovasi", "200000000", "IDR", "total", 12658, "5K-50K",
            "dana sekitar 200 jt"),
        arguments("budget maksimal Rp 750.000 ya", "750000", "IDR", "total", 47, "<1K", "budget maksimal Rp 750.000"),
        arguments("harga di bawah 500 ribu ada?", "500000", "IDR", "total", 32, "<1K", "di bawah 500 ribu"),
        arguments("bajet dalam RM 3,000 sebulan", "3000", "MYR", "monthly", 714, "<1K", "RM 3,000 sebulan"),
        arguments("Bajet max SGD 120k, boleh nego?", "120000", "SGD", "total", 88889, "50K+", "Bajet max SGD 120k"),
        arguments("cari rumah di BSD budget 1,5 M", "1500000000", "IDR", "total", 94937, "50K+", "budget 1,5 M"),
        arguments("nak kereta bawah RM 45k", "45000", "MYR", "total", 10714, "5K-50K", "bawah RM 45k"),
        arguments("price kitna hai? mere paas sirf 4 lakh hai", "400000", "INR", "total", 4819, "1K-5K", "4 lakh"),
        // several amounts: the lead's own
        arguments("Another vendor quoted 5L, our budget is 4L", "400000", "INR", "total", 4819, "1K-5K", "4L"),
        arguments("loan of 30 lakh is approved, budget 45 lakh total", "4500000", "INR", "total", 54217, "50K+",
            "budget 45 lakh"),
        arguments("Budget for 10 people is 2 lakh", "200000", "INR", "total", 2410, "1K-5K", "2 lakh"),
        arguments("call me on 98765 43210, budget 30k", "30000", "INR", "total", 361, "<1K", "budget 30k"));
  }

  @ParameterizedTest
  @MethodSource("budgets")
  void readsTheLeadsOwnBudget(String text, String amount, String currency, String period, long usd, String bucket,
      String budgetText) {
    Budget budget = extractor.extract(text).orElseThrow(() -> new AssertionError("no budget in: " + text));
    assertThat(budget.amount()).isEqualByComparingTo(new BigDecimal(amount));
    assertThat(budget.currency()).isEqualTo(currency);
    assertThat(budget.period()).isEqualTo(period);
    assertThat(budget.usd()).isEqualTo(usd);
    assertThat(budget.bucket()).isEqualTo(bucket);
    assertThat(budget.text()).isEqualTo(budgetText);
    assertThat(text).contains(budget.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // counts, sizes, identifiers
      "Need a 3 BHK, 1800 sqft, east facing",
      "we want a 10 kW rooftop system for the factory",
      "please quote for 200 units of model X-450",
      "need 25 seats from next week",
      "wedding for 400 guests in Jaipur",
      "order id #AB-77812 still not delivered",
      "my number is +91 98200 12345, call after 6",
      "possession in 2028, block C",
      "how many followers can you get, we need 20k followers",
      "plot no. 118, 30x40 site, corner",
      // someone else's figure or another kind of money
      "you quoted 4.5L last time, too costly",
      "Another dealer is offering it at 38k",
      "your package is 2L more than the other studio",
      "a shop in Pune did the same for 40 hazar kam",
      "I already paid 20k advance, when is delivery",
      "refund of Rs 2,499 not received yet",
      "invoice INV-2231 for $3,200 is wrong",
      "home loan of 40 lakh is sanctioned",
      "EMI 15000 per month chal raha hai",
      "sum insured 5 lakh, premium kitna hoga",
      "my salary is 80k, can I get a card",
      "we do ₹60L/month in revenue on Amazon",
      "electricity bill is 9000 every month",
      "down payment 3 lakh kar sakta hu, baaki loan",
      "budget no issue, just want the best",
      "price not a concern, quality matters",
      "Your package is 6L over our budget",
      "anything above 10L a year needs board approval",
      "the fee is 45000 per semester right?",
      "Model 2023, 32000 km driven, expecting 7 lakh",
      "Is it around 5 lakh?",
      "The car costs around 10 lakh",
      "want a ₹20 lakh term insurance plan",
      "I earn 1.2 lakh per month, what loan can I get?",
      "السعر ٥٠٠ ألف درهم عند المنافس",
      "Saya sudah bayar Rp 2 juta tapi belum dikirim",
      "पड़ोसी ने 30 हज़ार कम में लगवाया",
      ""})
  void findsNoBudgetWhereTheLeadStatesNone(String text) {
    assertThat(extractor.extract(text)).isEmpty();
  }

  @Test
  void aFigureUnderAThousandDollarsIsBucketedOneToFiveOnlyWhenTheTextSaysSo() {
    assertThat(extractor.extract("Budget range: 1K-5K").orElseThrow().bucket()).isEqualTo("1K-5K");
    assertThat(extractor.extract("Budget range: 1K-5K").orElseThrow().usd()).isLessThan(1_000);
    assertThat(extractor.extract("Budget: 3k").orElseThrow().bucket()).isEqualTo("<1K");
  }

  @Test
  void bucketsAreHalfOpenAtTheirEdges() {
    // ₹4,150,000 / 83 = $50,000 exactly; ₹4,149,000 is $49,988
    assertThat(extractor.extract("budget 41.5 lakh").orElseThrow().bucket()).isEqualTo("50K+");
    assertThat(extractor.extract("budget 41.49 lakh").orElseThrow().bucket()).isEqualTo("5K-50K");
    assertThat(extractor.extract("budget $4,999").orElseThrow().bucket()).isEqualTo("1K-5K");
    assertThat(extractor.extract("budget $5,000").orElseThrow().bucket()).isEqualTo("5K-50K");
    assertThat(extractor.extract("budget $999").orElseThrow().bucket()).isEqualTo("<1K");
  }

  @Test
  void anAmountWithoutACurrencyTakesTheMessagesThenTheDefault() {
    assertThat(extractor.extract("budget 50k for the logo").orElseThrow().currency()).isEqualTo("INR");
    assertThat(extractor.extract("budget 50k for the logo", "USD").orElseThrow().currency()).isEqualTo("USD");
    assertThat(new BudgetExtractor(UsdRates.defaults(), "AED").extract("budget 50k").orElseThrow().currency())
        .isEqualTo("AED");
    // the message's own hints win over the default: another amount's currency, the script
    assertThat(extractor.extract("setup is $500, monthly budget 2k", "INR").orElseThrow().currency()).isEqualTo("USD");
    assertThat(extractor.extract("الميزانية ٥٠ ألف", "INR").orElseThrow().currency()).isEqualTo("AED");
    assertThat(extractor.extract("budget saya 500 ribu", "INR").orElseThrow().currency()).isEqualTo("IDR");
  }

  @Test
  void ratesAndTheDefaultCurrencyComeFromConfiguration() {
    Config reference = ConfigFactory.load();
    assertThat(BudgetExtractor.fromConfig(reference).extract("budget 50k").orElseThrow().currency()).isEqualTo("INR");
    Config gulf = ConfigFactory.parseString("flexoraa.ai.builtin.default-currency = AED").withFallback(reference);
    Budget budget = BudgetExtractor.fromConfig(gulf).extract("budget 50k").orElseThrow();
    assertThat(budget.currency()).isEqualTo("AED");
    assertThat(budget.usd()).isEqualTo(13_624);
  }

  @Test
  void aCurrencyWithoutARateGivesNoBudgetRatherThanAWrongBucket() {
    assertThat(extractor.extract("budget €40,000")).isEmpty();
    BudgetExtractor withEuro = new BudgetExtractor(new UsdRates(Map.of("EUR", new BigDecimal("0.92"))));
    Optional<Budget> euro = withEuro.extract("budget €40,000");
    assertThat(euro).hasValueSatisfying(b -> {
      assertThat(b.currency()).isEqualTo("EUR");
      assertThat(b.usd()).isEqualTo(43_478);
    });
  }

  @Test
  void neverThrowsAndOnlyQuotesTheMessage() {
    Random random = new Random(25);
    String alphabet = "0123456789 ,.-~+/$₹:kKlLmM lakh crore cr rs Rs INR AED SGD Rp RM juta ribu jt rb hazar "
        + "budget under upto max tak sampai per month a year ٠١٢٣٤٥٦٧٨٩ ०१२३४५६७८९ लाख करोड़ हज़ार ألف مليون درهم "
        + "الميزانية बजट 😀\n|";
    for (int i = 0; i < 5_000; i++) {
      String message = RandomMessages.next(random, alphabet, 120);
      Optional<Budget> budget = extractor.extract(message);
      budget.ifPresent(b -> {
        assertThat(message).contains(b.text());
        assertThat(b.usd()).isNotNegative();
      });
    }
    assertThat(extractor.extract(null)).isEmpty();
    assertThat(extractor.extract("9".repeat(10_000))).isEmpty();
  }
}
