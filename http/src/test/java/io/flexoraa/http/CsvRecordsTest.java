package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.http.CsvRecords.CsvException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 4180 as spreadsheets and CRMs write it, fed in every possible split, and what is refused. */
class CsvRecordsTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("CsvRecordsTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static List<List<String>> read(String text) {
    CsvRecords csv = new CsvRecords(1000);
    List<List<String>> records = new ArrayList<>(csv.feed(text));
    records.addAll(csv.finish());
    return records;
  }

  @Test
  void plainRecordsWithEveryKindOfLineBreak() {
    assertThat(read("name,phone\r\nPriya,98123\nOmar,050\rTan,9123"))
        .containsExactly(List.of("name", "phone"), List.of("Priya", "98123"), List.of("Omar", "050"), List.of("Tan", "9123"));
  }

  @Test
  void quotedFieldsHoldCommasLineBreaksAndDoubledQuotes() {
    assertThat(read("name,message\n\"Sharma, Priya\",\"line one\r\nline \"\"two\"\"\"\n"))
        .containsExactly(List.of("name", "message"), List.of("Sharma, Priya", "line one\r\nline \"two\""));
  }

  @Test
  void emptyFieldsAreKeptAndEmptyLinesSkipped() {
    assertThat(read("a,b,c\n\n,,\n1,,3\n\n")).containsExactly(List.of("a", "b", "c"), List.of("", "", ""), List.of("1", "", "3"));
    assertThat(read("\"\",x")).containsExactly(List.of("", "x"));
  }

  @Test
  void sloppyQuotesAreKeptAsText() {
    assertThat(read("5'11\" tall,x\n\"quoted\"tail,y")).containsExactly(List.of("5'11\" tall", "x"), List.of("quotedtail", "y"));
  }

  @Test
  void aByteOrderMarkIsDropped() {
    assertThat(read("\uFEFFname,phone\nPriya,1")).containsExactly(List.of("name", "phone"), List.of("Priya", "1"));
  }

  @Test
  void anUnclosedQuoteAndAnOverlongRecordAreErrors() {
    assertThatThrownBy(() -> read("name\n\"Priya")).isInstanceOf(CsvException.class)
        .hasMessageContaining("CSV record 2 (the header is record 1)").hasMessageContaining("never closed");
    CsvRecords csv = new CsvRecords(10);
    assertThatThrownBy(() -> csv.feed("a,b\n\"0123456789012")).isInstanceOf(CsvException.class)
        .hasMessageContaining("longer than 10 characters");
  }

  @Test
  void everySplitOfTheBytesGivesTheSameRecordsEvenInsideAUtf8Character() throws Exception {
    String text = "name,message\n\"प्रिया, शर्मा\",\"مرحبا\"\"\n\"\r\nTan,ok";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<List<String>> expected = read(text);
    for (int split = 1; split < bytes.length; split++) {
      List<ByteString> chunks = List.of(ByteString.fromArray(bytes, 0, split),
          ByteString.fromArray(bytes, split, bytes.length - split));
      List<List<String>> records = Source.from(chunks).via(CsvRecords.flow(1000)).runWith(Sink.seq(), testKit.system())
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(records).as("split at byte " + split).isEqualTo(expected);
    }
    assertThat(expected.get(1)).containsExactly("प्रिया, शर्मा", "مرحبا\"\n");
  }

  @Test
  void bytesThatAreNotUtf8FailTheStream() {
    byte[] latin1 = "name\nJos\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Source.single(ByteString.fromArray(latin1)).via(CsvRecords.flow(1000))
        .runWith(Sink.seq(), testKit.system()).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CsvException.class).hasMessageContaining("not UTF-8");
  }
}
