package io.flexoraa.engine.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.abuse.CustomerScreen.History;
import io.flexoraa.engine.abuse.CustomerScreen.Reason;
import io.flexoraa.engine.abuse.CustomerScreen.Settings;
import io.flexoraa.engine.verification.GibberishText;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The customer screen's rules at controlled instants: each rule at its edge, and what counts towards it. */
class CustomerScreenTest {
  private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");
  private static final Settings DEFAULTS = Settings.DEFAULTS;

  /** Screens messages in turn, recording each, as the lead does. */
  private static List<Optional<Reason>> screenAll(Settings settings, List<Instant> times, List<String> digests) {
    History history = History.EMPTY;
    List<Optional<Reason>> reasons = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      reasons.add(history.screen(times.get(i), digests.get(i), false, settings));
      history = history.record(times.get(i), digests.get(i));
    }
    return reasons;
  }

  private static List<Instant> every(Duration step, int count, Instant from) {
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < count; i++) times.add(from.plus(step.multipliedBy(i)));
    return times;
  }

  private static List<String> distinct(int count) {
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < count; i++) digests.add("d" + i);
    return digests;
  }

  @Test
  void theSixthMessageWithinTenSecondsIsRapidFireAndTheFifthIsNot() {
    List<Optional<Reason>> reasons = screenAll(DEFAULTS, every(Duration.ofSeconds(1), 8, T0), distinct(8));
    assertThat(reasons.subList(0, 5)).allMatch(Optional::isEmpty);
    assertThat(reasons.subList(5, 8)).containsOnly(Optional.of(Reason.RAPID_FIRE));
  }

  @Test
  void sixMessagesSpreadOverMoreThanTenSecondsAreNotRapidFire() {
    // 2.1 s apart: any 10 s window holds at most 5 of them
    List<Optional<Reason>> reasons = screenAll(DEFAULTS, every(Duration.ofMillis(2100), 12, T0), distinct(12));
    assertThat(reasons).allMatch(Optional::isEmpty);
  }

  @Test
  void theSameTextTheThirdTimeWithinADayIsRepetition() {
    List<Instant> times = every(Duration.ofMinutes(30), 4, T0);
    List<Optional<Reason>> reasons = screenAll(DEFAULTS, times, List.of("same", "same", "same", "other"));
    assertThat(reasons).containsExactly(Optional.empty(), Optional.empty(), Optional.of(Reason.REPETITION),
        Optional.empty());
  }

  @Test
  void aRepeatOlderThanTheWindowNoLongerCounts() {
    List<Instant> times = List.of(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(25)));
    assertThat(screenAll(DEFAULTS, times, List.of("same", "same", "same"))).allMatch(Optional::isEmpty);
  }

  @Test
  void messagesWithoutTextNeverRepeatEachOther() {
    List<Instant> times = every(Duration.ofMinutes(5), 4, T0);
    List<String> none = new ArrayList<>();
    for (int i = 0; i < 4; i++) none.add(null);
    assertThat(screenAll(DEFAULTS, times, none)).allMatch(Optional::isEmpty);
  }

  @Test
  void theFiftyFirstMessageOfAUtcDayIsOverTheCapAndTheNextDayStartsAfresh() {
    Instant morning = Instant.parse("2026-05-04T00:30:00Z");
    List<Instant> times = new ArrayList<>(every(Duration.ofMinutes(20), 51, morning));
    times.add(Instant.parse("2026-05-05T00:05:00Z"));
    List<Optional<Reason>> reasons = screenAll(DEFAULTS, times, distinct(52));
    assertThat(reasons.subList(0, 50)).allMatch(Optional::isEmpty);
    assertThat(reasons.get(50)).contains(Reason.DAILY_CAP);
    assertThat(reasons.get(51)).isEmpty();
  }

  @Test
  void aLateMessageFromYesterdayDoesNotCountTowardsToday() {
    History history = History.EMPTY.record(Instant.parse("2026-05-05T08:00:00Z"), "a");
    History late = history.record(Instant.parse("2026-05-04T23:59:00Z"), "b");
    assertThat(late.day()).isEqualTo(history.day());
    assertThat(late.dayCount()).isEqualTo(1);
  }

  @Test
  void gibberishIsScreenedUnlessSwitchedOff() {
    Settings off = new Settings(50, 5, Duration.ofSeconds(10), 3, Duration.ofHours(24), false);
    assertThat(History.EMPTY.screen(T0, "x", true, DEFAULTS)).contains(Reason.GIBBERISH);
    assertThat(History.EMPTY.screen(T0, "x", true, off)).isEmpty();
    assertThat(History.EMPTY.screen(T0, "x", false, DEFAULTS)).isEmpty();
  }

  @Test
  void thresholdsComeFromSettings() {
    Settings strict = new Settings(3, 2, Duration.ofSeconds(60), 2, Duration.ofHours(1), true);
    List<Optional<Reason>> reasons = screenAll(strict, every(Duration.ofMinutes(2), 4, T0),
        List.of("a", "b", "a", "c"));
    assertThat(reasons).containsExactly(Optional.empty(), Optional.empty(), Optional.of(Reason.REPETITION),
        Optional.of(Reason.DAILY_CAP));
  }

  @Test
  void windowsLongerThanTheHistoryKeptAreRefused() {
    assertThatThrownBy(() -> new Settings(50, 5, Duration.ofSeconds(10), 3, Duration.ofHours(48), true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHistoryStaysBoundedHoweverFastTheCustomerWrites() {
    History history = History.EMPTY;
    for (int i = 0; i < 1000; i++) history = history.record(T0.plusMillis(i * 10L), "d" + i);
    assertThat(history.recent()).hasSize(CustomerScreen.HISTORY_LIMIT);
    assertThat(history.screen(T0.plusSeconds(10), "new", false, DEFAULTS)).contains(Reason.DAILY_CAP);
  }

  @Test
  void theFingerprintIgnoresCaseSpacingAndPunctuationButNotWords() {
    TextFingerprint fingerprint = new TextFingerprint(new GibberishText(new GibberishText.Settings(
        5, new BigDecimal("0.12"), 3, 5, new BigDecimal("0.5"))));
    io.flexoraa.engine.ports.PiiCipher.BlindIndex index = (kind, value) -> sha256(kind + ":" + value);
    assertThat(fingerprint.digest(index, "What is the PRICE??")).isEqualTo(fingerprint.digest(index, "what is the price"));
    assertThat(fingerprint.digest(index, "what is the price")).isNotEqualTo(fingerprint.digest(index, "what is the rent"));
    assertThat(fingerprint.digest(index, "👍👍")).isNull();
    assertThat(fingerprint.digest(index, "क्या कीमत है?")).isEqualTo(fingerprint.digest(index, "क्या कीमत है"));
    assertThat(fingerprint.gibberish("asdfgh qwerty zxcvbn")).isTrue();
    assertThat(fingerprint.gibberish("I want a 2 BHK flat")).isFalse();
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
