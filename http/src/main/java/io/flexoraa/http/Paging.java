package io.flexoraa.http;

import io.flexoraa.http.Problems.InvalidInput;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/** Query-string numbers for paging (limit, offset), validated with a 400 that names the parameter. */
final class Paging {
  private Paging() {}

  /** {@code ?limit=&offset=}: limit 1..maxLimit (default 50), offset from 0. */
  static Route paging(int maxLimit, BiFunction<Integer, Integer, Route> inner) {
    return Directives.parameterOptional("limit", limit -> Directives.parameterOptional("offset", offset ->
        inner.apply(number("limit", limit, 50, 1, maxLimit), number("offset", offset, 0, 0, Integer.MAX_VALUE))));
  }

  static int number(String field, Optional<String> raw, int fallback, int min, int max) {
    if (raw.isEmpty()) return fallback;
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) throw new InvalidInput(field, field + " must be between " + min + " and " + max);
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidInput(field, field + " must be a whole number");
    }
  }
}
