package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * logback.xml as shipped, loaded into a fresh logger context with FLEXORAA_LOG_FORMAT set as a context property
 * (logback resolves it there before the environment), so the JVM's own logging is left alone.
 */
class LogFormatTest {

  @Test
  void jsonWritesOneJsonObjectPerLineWithTheMdc() throws Exception {
    LoggerContext context = configured("json");
    assertThat(highestStatus(context)).isLessThan(Status.WARN);
    String line = encode(context, "Webhook body unreadable: {}", Map.of("pekkoSource", "pekko://flexoraa/user"));
    assertThat(line).endsWith("\n").doesNotContain("\n{");
    JsonNode json = Json.MAPPER.readTree(line);
    assertThat(json.get("message").asText()).isEqualTo("Webhook body unreadable: java.util.concurrent.TimeoutException");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("logger_name").asText()).isEqualTo("io.flexoraa.http.WebhookRoutes");
    assertThat(json.get("pekkoSource").asText()).isEqualTo("pekko://flexoraa/user");
    assertThat(json.get("service").asText()).isEqualTo("flexoraa-engine");
    assertThat(json.has("@timestamp")).isTrue();
  }

  @Test
  void textIsTheDefaultAndStaysHumanReadable() {
    LoggerContext context = configured(null);
    assertThat(highestStatus(context)).isLessThan(Status.WARN);
    String line = encode(context, "Webhook body unreadable: {}", Map.of());
    assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  io\\.flexoraa\\.http\\.WebhookRoutes\\s+- "
        + "Webhook body unreadable: java.util.concurrent.TimeoutException\\R");
    assertThat(encode(configured("text"), "x", Map.of())).endsWith("- x" + System.lineSeparator());
  }

  @Test
  void anUnknownFormatLeavesNoAppenderWhichIsWhyMainRefusesIt() {
    LoggerContext context = configured("xml");
    // logback prints its warnings at start, then would log nothing at all: Main stops before that happens
    assertThat(highestStatus(context)).isEqualTo(Status.WARN);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    assertThat(Main.logFormatProblem("xml")).hasValueSatisfying(problem -> assertThat(problem).contains("text or json"));
    assertThat(Main.logFormatProblem("json")).isEmpty();
    assertThat(Main.logFormatProblem("text")).isEmpty();
    assertThat(Main.logFormatProblem(null)).isEmpty();
    // set but empty is not unset for logback's ${FLEXORAA_LOG_FORMAT:-text} either
    assertThat(configured("").getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    assertThat(Main.logFormatProblem("")).isPresent();
  }

  private static LoggerContext configured(String format) {
    LoggerContext context = new LoggerContext();
    if (format != null) context.putProperty("FLEXORAA_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return context;
  }

  private static int highestStatus(LoggerContext context) {
    return new StatusUtil(context).getHighestLevel(0);
  }

  /** What the root logger's console appender would write for one INFO event. */
  private static String encode(LoggerContext context, String message, Map<String, String> mdc) {
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders();
    OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) appenders.next();
    assertThat(appenders.hasNext()).isFalse();
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger(WebhookRoutes.class), Level.INFO,
        message, null, new Object[] {"java.util.concurrent.TimeoutException"});
    event.setMDCPropertyMap(mdc);
    return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
  }
}
