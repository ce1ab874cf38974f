package io.flexoraa.persistence.projection;

import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs the compliance read-model projection ({@link ComplianceHandler}) over the channel-account tag, once in the cluster. */
public final class ComplianceProjections {
  public static final String NAME = "compliance";

  private ComplianceProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int groupSize, Duration groupWithin) {
    TaggedProjections.<ChannelAccount.Event>init(system, NAME, List.of(ChannelAccountEntity.TAG), dataSource, groupSize,
        groupWithin, ComplianceHandler::new);
  }
}
