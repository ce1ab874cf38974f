package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel.Event;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs one lead read-model projection per tag slice ({@link TaggedProjections}). */
public final class LeadProjections {
  public static final String NAME = "lead-read-model";

  private LeadProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int tagSlices, int groupSize, Duration groupWithin) {
    TaggedProjections.<Event>init(system, NAME, LeadEntity.allTags(tagSlices), dataSource, groupSize, groupWithin,
        LeadReadModelHandler::new);
  }
}
