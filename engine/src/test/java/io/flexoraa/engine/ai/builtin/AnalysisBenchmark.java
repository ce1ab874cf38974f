package io.flexoraa.engine.ai.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.ai.AnalysisRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Built-in analysis latency (the target: P90 < 20 ms), measured, not asserted in a unit test:
 * {@code load-tests/run-ai-analysis-benchmark.sh}. Messages are the {@code text} of JSON Lines files (the eval set
 * or our own examples) cycled, plus long e-mails made of several of them (1–4 KB, where the patterns cost most).
 * Warms up, then times every analysis on one thread and on {@code threads} threads at once, and prints P50, P90,
 * P99 and max. Exit status 1 when a P90 misses the target. Not a Surefire test (no Test in its name).
 *
 * <p>Arguments: {@code FILE.jsonl...}; system properties {@code analyses} [50000], {@code warmup} [20000],
 * {@code threads} [2], {@code longShare} [0.1] (the share of long messages).
 */
public final class AnalysisBenchmark {
  private static final double TARGET_P90_MS = 20.0;

  private AnalysisBenchmark() {}

  public static void main(String[] args) throws Exception {
    int analyses = Integer.getInteger("analyses", 50_000);
    int warmup = Integer.getInteger("warmup", 20_000);
    int threads = Integer.getInteger("threads", 2);
    double longShare = Double.parseDouble(System.getProperty("longShare", "0.1"));
    List<String> messages = messages(args);
    List<String> workload = workload(messages, longShare);
    System.out.printf("messages: %d distinct (%d from %s), %d long ones of %d-%d chars in the cycle%n",
        workload.size(), messages.size(), String.join(", ", args), workload.size() - messages.size(),
        workload.stream().skip(messages.size()).mapToInt(String::length).min().orElse(0),
        workload.stream().skip(messages.size()).mapToInt(String::length).max().orElse(0));

    long start = System.nanoTime();
    BuiltInAnalyzer analyzer = BuiltInAnalyzer.withDefaults();
    System.out.printf("construction: %.0f ms (lexicon compiled, lingua models loaded)%n", (System.nanoTime() - start) / 1e6);
    LocalDate today = LocalDate.of(2026, 11, 21);
    run(analyzer, workload, today, warmup, 0);
    System.out.printf("warm-up: %d analyses%n", warmup);

    long[] single = run(analyzer, workload, today, analyses, 0);
    boolean met = report("1 thread", single);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<long[]>> runs = new ArrayList<>();
      long began = System.nanoTime();
      for (int thread = 0; thread < threads; thread++) {
        int offset = thread * 7;
        runs.add(pool.submit(() -> run(analyzer, workload, today, analyses / threads, offset)));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> run : runs) all.add(run.get());
      double seconds = (System.nanoTime() - began) / 1e9;
      long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
      met &= report(threads + " threads", merged);
      System.out.printf("throughput: %.0f analyses/s on %d threads%n", merged.length / seconds, threads);
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("target: P90 < %.0f ms %s%n", TARGET_P90_MS, met ? "met" : "MISSED");
    System.exit(met ? 0 : 1);
  }

  private static long[] run(BuiltInAnalyzer analyzer, List<String> workload, LocalDate today, int count, int offset) {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      AnalysisRequest request =
          new AnalysisRequest("bench", workload.get((i + offset) % workload.size()), "whatsapp", List.of(), today);
      long start = System.nanoTime();
      analyzer.analyze(request);
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  private static boolean report(String label, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double p90 = ms(percentile(sorted, 90));
    System.out.printf("latency %-10s (%d analyses): P50 %.3f ms  P90 %.3f ms  P99 %.3f ms  max %.3f ms%n", label,
        sorted.length, ms(percentile(sorted, 50)), p90, ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
    return p90 < TARGET_P90_MS;
  }

  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static List<String> messages(String[] files) throws Exception {
    if (files.length == 0) throw new IllegalArgumentException("name at least one JSON Lines file of messages");
    ObjectMapper mapper = new ObjectMapper();
    List<String> messages = new ArrayList<>();
    for (String file : files) {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) messages.add(mapper.readTree(line).get("text").asText());
      }
    }
    return messages;
  }

  /** The messages, then long e-mails (greeting, several messages as paragraphs, a signature) for the long share. */
  private static List<String> workload(List<String> messages, double longShare) {
    List<String> workload = new ArrayList<>(messages);
    int longOnes = (int) Math.round(messages.size() * longShare / (1 - longShare));
    for (int i = 0; i < longOnes; i++) {
      StringBuilder email = new StringBuilder("Hello team,\n\n");
      int target = 1_000 + (i * 3_000) / Math.max(1, longOnes);
      for (int j = 0; email.length() < target; j++) {
        email.append(messages.get((i * 13 + j * 7) % messages.size())).append("\n\n");
      }
      workload.add(email.append("Regards,\nA. Lead\nDirector, Example Industries Pvt Ltd").toString());
    }
    return workload;
  }
}
