package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel.Event;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs the cost-log projection ({@link OutboundCostHandler}) over the lead tag slices, once each in the cluster. */
public final class CostProjections {
  public static final String NAME = "cost-log";

  private CostProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int tagSlices, int groupSize, Duration groupWithin) {
    TaggedProjections.<Event>init(system, NAME, LeadEntity.allTags(tagSlices), dataSource, groupSize, groupWithin,
        OutboundCostHandler::new);
  }
}
