package io.flexoraa.persistence.projection;

import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.TenantEntity;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs the token ledger projection ({@link TokenLedgerHandler}) over the tenant tag, once in the cluster. */
public final class TokenProjections {
  public static final String NAME = "token-ledger";

  private TokenProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, Billing billing, int groupSize,
      Duration groupWithin) {
    TaggedProjections.<Tenant.Event>init(system, NAME, List.of(TenantEntity.TAG), dataSource, groupSize, groupWithin,
        tag -> new TokenLedgerHandler(tag, billing));
  }
}
