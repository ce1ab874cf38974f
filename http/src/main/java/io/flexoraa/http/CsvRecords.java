package io.flexoraa.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * An incremental RFC 4180 CSV reader: text goes in in arbitrary pieces (a network chunk can end in the middle of a
 * quoted field, or of a UTF-8 character), records come out as soon as they are complete. pekko-connectors-csv and
 * commons-csv are not among the project's dependencies, and the format is small enough to own.
 *
 * <p>Rules: fields are separated by commas, records by CRLF, LF or a lone CR; a field in double quotes may hold
 * commas, line breaks and doubled quotes ({@code ""} for {@code "}). Lenient where spreadsheets are sloppy: a quote
 * inside an unquoted field is kept as a character, text after a closing quote is appended to the field, and empty
 * lines are skipped. A UTF-8 byte-order mark at the start is dropped. A record longer than {@code maxRecordChars}
 * (usually an unterminated quote swallowing the file) and a quote still open at the end are errors.
 */
final class CsvRecords {

  /** The input is not CSV this reader can read; nothing after it is read. */
  static final class CsvException extends RuntimeException {
    CsvException(String message) {
      super(message, null, false, false);
    }
  }

  private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

  private final int maxRecordChars;
  private final StringBuilder field = new StringBuilder();
  private List<String> record = new ArrayList<>();
  private State state = State.FIELD_START;
  private boolean afterCarriageReturn;
  private boolean started;
  private int recordChars;
  /** Records completed so far; the one being read is number {@code completed + 1} (the header is 1). */
  private long completed;

  CsvRecords(int maxRecordChars) {
    if (maxRecordChars < 1) throw new IllegalArgumentException("maxRecordChars must be positive");
    this.maxRecordChars = maxRecordChars;
  }

  /** The records that {@code text} completes, in order. */
  List<List<String>> feed(CharSequence text) {
    List<List<String>> done = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!started) {
        started = true;
        if (c == '\uFEFF') continue;
      }
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (c == '\n') continue; // the LF of a CRLF already ended the record
      }
      if (++recordChars > maxRecordChars) {
        throw new CsvException("CSV record " + (completed + 1) + " (the header is record 1) is longer than "
            + maxRecordChars + " characters (an unterminated quote?)");
      }
      switch (state) {
        case QUOTED -> {
          if (c == '"') state = State.QUOTE_IN_QUOTED;
          else field.append(c);
        }
        case QUOTE_IN_QUOTED -> {
          if (c == '"') {
            field.append('"');
            state = State.QUOTED;
          } else {
            state = State.UNQUOTED;
            structural(c, done);
          }
        }
        case FIELD_START -> {
          if (c == '"') state = State.QUOTED;
          else structural(c, done);
        }
        case UNQUOTED -> structural(c, done);
      }
    }
    return done;
  }

  /** A character outside quotes: a separator, the end of a record, or part of the field. */
  private void structural(char c, List<List<String>> done) {
    if (c == ',') {
      endField();
    } else if (c == '\n' || c == '\r') {
      afterCarriageReturn = c == '\r';
      endRecord(done);
    } else {
      field.append(c);
      state = State.UNQUOTED;
    }
  }

  /** End of input: the last record when the text did not end with a line break. */
  List<List<String>> finish() {
    if (state == State.QUOTED) {
      throw new CsvException("a quoted field of CSV record " + (completed + 1)
          + " (the header is record 1) is never closed");
    }
    List<List<String>> done = new ArrayList<>();
    if (state != State.FIELD_START || !record.isEmpty()) endRecord(done);
    return done;
  }

  private void endField() {
    record.add(field.toString());
    field.setLength(0);
    state = State.FIELD_START;
  }

  private void endRecord(List<List<String>> done) {
    endField();
    boolean empty = record.size() == 1 && record.get(0).isEmpty();
    if (!empty) {
      done.add(List.copyOf(record));
      completed++;
    }
    record = new ArrayList<>();
    recordChars = 0;
  }

  /**
   * UTF-8 bytes to records, for a request body: a character split between two chunks is decoded once both have
   * arrived; bytes that are not UTF-8 fail the stream with a {@link CsvException}.
   */
  static Flow<ByteString, List<String>, NotUsed> flow(int maxRecordChars) {
    return Flow.<ByteString>create()
        .statefulMap(
            () -> new Utf8Records(maxRecordChars),
            (state, bytes) -> Pair.create(state, state.feed(bytes)),
            state -> Optional.of(state.finish()))
        .mapConcat(records -> records);
  }

  private static final class Utf8Records {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CsvRecords records;
    private ByteBuffer leftover = ByteBuffer.allocate(0);

    Utf8Records(int maxRecordChars) {
      this.records = new CsvRecords(maxRecordChars);
    }

    List<List<String>> feed(ByteString bytes) {
      ByteBuffer input = ByteBuffer.allocate(leftover.remaining() + bytes.size());
      input.put(leftover).put(bytes.asByteBuffer()).flip();
      CharBuffer output = CharBuffer.allocate(input.remaining() + 1);
      CoderResult result = decoder.decode(input, output, false);
      if (result.isError()) throw notUtf8();
      leftover = input.slice();
      return records.feed(output.flip());
    }

    List<List<String>> finish() {
      CharBuffer output = CharBuffer.allocate(leftover.remaining() + 1);
      CoderResult result = decoder.decode(leftover, output, true);
      if (result.isError() || leftover.hasRemaining() || decoder.flush(output).isError()) throw notUtf8();
      List<List<String>> done = new ArrayList<>(records.feed(output.flip()));
      done.addAll(records.finish());
      return done;
    }

    private static CsvException notUtf8() {
      return new CsvException("the body is not UTF-8 text");
    }
  }
}
