package io.flexoraa.persistence.projection;

import io.flexoraa.engine.appointments.SdrCalendar;
import io.flexoraa.engine.appointments.SdrCalendarEntity;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs the appointments read-model projection ({@link AppointmentHandler}), one per calendar tag, once in the cluster. */
public final class AppointmentProjections {
  public static final String NAME = "appointments";

  private AppointmentProjections() {}

  public static void init(
      ActorSystem<?> system, DataSource dataSource, int tagSlices, int groupSize, Duration groupWithin) {
    TaggedProjections.<SdrCalendar.Event>init(system, NAME, SdrCalendarEntity.allTags(tagSlices), dataSource,
        groupSize, groupWithin, AppointmentHandler::new);
  }
}
