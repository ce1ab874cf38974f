package io.flexoraa.engine.ai;

import io.flexoraa.engine.CborSerializable;
import java.math.BigDecimal;

/**
 * A budget the lead stated, as stated and in US dollars (conventions in {@code ../shared/eval/README.md}): a range
 * is its midpoint, "under / up to / max X" is X, lakh and crore are expanded.
 *
 * @param amount the amount in {@code currency} (after expanding lakh/crore/k; the midpoint of a range)
 * @param currency ISO 4217 code (INR, USD, AED, SGD, IDR, MYR, ...)
 * @param period {@code total}, {@code monthly}, {@code yearly}, {@code per_person} or {@code per_unit}
 * @param usd the amount in US dollars, rounded
 * @param bucket {@code <1K}, {@code 1K-5K}, {@code 5K-50K} or {@code 50K+} ({@link #bucketOf})
 * @param text the exact substring of the message that states the budget
 */
public record Budget(BigDecimal amount, String currency, String period, long usd, String bucket, String text)
    implements CborSerializable {

  public static final String UNDER_1K = "<1K";
  public static final String B_1K_5K = "1K-5K";
  public static final String B_5K_50K = "5K-50K";
  public static final String B_50K_PLUS = "50K+";

  /** The bucket of a dollar amount: half-open ranges, $1,000–$4,999 is 1K-5K. */
  public static String bucketOf(long usd) {
    if (usd < 1_000) return UNDER_1K;
    if (usd < 5_000) return B_1K_5K;
    if (usd < 50_000) return B_5K_50K;
    return B_50K_PLUS;
  }
}
