package io.flexoraa.persistence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ports.IdentityIndex;
import io.flexoraa.engine.ports.IdentityIndex.IdentityKey;
import io.flexoraa.engine.ports.IdentityIndex.Resolution;
import io.flexoraa.persistence.TestDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcIdentityIndexTest {
  private static TestDatabase db;
  private static ExecutorService blocking;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static IdentityIndex newIndex() {
    return new JdbcIdentityIndex(db.dataSource(), blocking, 1_000);
  }

  private static String tenant() {
    return "tenant-" + UUID.randomUUID();
  }

  private static IdentityKey phone(String index) {
    return new IdentityKey("phone", index);
  }

  private static IdentityKey bsuid(String index) {
    return new IdentityKey("bsuid", index);
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void theFirstResolveCreatesAndTheSecondFindsTheSameLead() {
    IdentityIndex index = newIndex();
    String tenant = tenant();

    Resolution first = await(index.resolve(tenant, List.of(phone("p1")), "lead-1"));
    Resolution second = await(index.resolve(tenant, List.of(phone("p1")), "lead-2"));

    assertThat(first).isEqualTo(new Resolution("lead-1", true));
    assertThat(second).isEqualTo(new Resolution("lead-1", false));
    assertThat(await(index.find(tenant, phone("p1")))).contains("lead-1");
    assertThat(await(newIndex().find(tenant, phone("p1")))).contains("lead-1");
  }

  @Test
  void aNewIdentifierIsAttachedToTheLeadOwningAKnownOne() {
    IdentityIndex index = newIndex();
    String tenant = tenant();
    await(index.resolve(tenant, List.of(phone("p1")), "lead-1"));

    Resolution resolution = await(index.resolve(tenant, List.of(bsuid("b1"), phone("p1")), "lead-2"));

    assertThat(resolution).isEqualTo(new Resolution("lead-1", false));
    assertThat(await(newIndex().find(tenant, bsuid("b1")))).contains("lead-1");
    assertThat(db.queryString(
            "SELECT kind FROM lead_identities WHERE tenant_id = ? AND identifier_index = ?", tenant, "b1"))
        .isEqualTo("bsuid");
    assertThat(db.queryLong("SELECT count(*) FROM lead_identities WHERE tenant_id = ? AND lead_id = ?", tenant,
            "lead-2"))
        .isZero();
  }

  @Test
  void allNewIdentifiersAreClaimedTogether() {
    String tenant = tenant();

    Resolution resolution = await(newIndex().resolve(tenant, List.of(bsuid("b1"), phone("p1")), "lead-1"));

    assertThat(resolution).isEqualTo(new Resolution("lead-1", true));
    assertThat(await(newIndex().find(tenant, phone("p1")))).contains("lead-1");
    assertThat(await(newIndex().find(tenant, bsuid("b1")))).contains("lead-1");
  }

  @Test
  void theOwnerOfTheFirstIdentifierWinsWhenTheyBelongToDifferentLeads() {
    IdentityIndex index = newIndex();
    String tenant = tenant();
    await(index.resolve(tenant, List.of(phone("p1")), "lead-1"));
    await(index.resolve(tenant, List.of(bsuid("b1")), "lead-2"));

    assertThat(await(index.resolve(tenant, List.of(bsuid("b1"), phone("p1")), "lead-3")).leadId())
        .isEqualTo("lead-2");
    assertThat(await(index.resolve(tenant, List.of(phone("p1"), bsuid("b1")), "lead-3")).leadId())
        .isEqualTo("lead-1");
    assertThat(await(newIndex().resolve(tenant, List.of(phone("new"), bsuid("b1"), phone("p1")), "lead-3")))
        .isEqualTo(new Resolution("lead-2", false));
    assertThat(await(index.find(tenant, phone("p1")))).contains("lead-1");
  }

  @Test
  void sixteenThreadsRacingOnANewIdentifierEndWithOneOwner() throws Exception {
    for (int round = 0; round < 5; round++) {
      String tenant = tenant();
      List<IdentityIndex> indexes = List.of(newIndex(), newIndex(), newIndex(), newIndex());

      List<Resolution> resolutions =
          race(16, thread -> indexes.get(thread % 4).resolve(tenant, List.of(phone("p1")), "candidate-" + thread));

      Set<String> owners = new HashSet<>();
      resolutions.forEach(resolution -> owners.add(resolution.leadId()));
      assertThat(owners).hasSize(1);
      assertThat(resolutions).filteredOn(Resolution::created).hasSize(1);
      String owner = owners.iterator().next();
      assertThat(resolutions).filteredOn(Resolution::created).first().extracting(Resolution::leadId).isEqualTo(owner);
      assertThat(db.queryString("SELECT lead_id FROM lead_identities WHERE tenant_id = ?", tenant)).isEqualTo(owner);
      assertThat(db.queryLong("SELECT count(*) FROM lead_identities WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }
  }

  @Test
  void racingResolvesListingTheIdentifiersInDifferentOrdersEndWithOneLead() throws Exception {
    for (int round = 0; round < 5; round++) {
      String tenant = tenant();
      List<IdentityIndex> indexes = List.of(newIndex(), newIndex());

      List<Resolution> resolutions =
          race(
              16,
              thread -> {
                List<IdentityKey> identifiers =
                    thread % 2 == 0 ? List.of(bsuid("b1"), phone("p1")) : List.of(phone("p1"), bsuid("b1"));
                return indexes.get(thread % 2).resolve(tenant, identifiers, "candidate-" + thread);
              });

      Set<String> owners = new HashSet<>();
      resolutions.forEach(resolution -> owners.add(resolution.leadId()));
      assertThat(owners).hasSize(1);
      assertThat(resolutions).filteredOn(Resolution::created).hasSize(1);
      assertThat(db.queryLong("SELECT count(DISTINCT lead_id) FROM lead_identities WHERE tenant_id = ?", tenant))
          .isEqualTo(1);
      assertThat(db.queryLong("SELECT count(*) FROM lead_identities WHERE tenant_id = ?", tenant)).isEqualTo(2);
    }
  }

  @Test
  void racingResolvesWithOverlappingIdentifiersNeverSplitOnePersonOverTwoLeads() throws Exception {
    List<List<IdentityKey>> shapes =
        List.of(
            List.of(phone("x"), bsuid("y")), List.of(bsuid("y"), phone("z")), List.of(phone("z"), phone("x")));
    for (int round = 0; round < 5; round++) {
      String tenant = tenant();
      List<IdentityIndex> indexes = List.of(newIndex(), newIndex(), newIndex());

      List<Resolution> resolutions =
          race(15, thread -> indexes.get(thread % 3).resolve(tenant, shapes.get(thread % 3), "candidate-" + thread));

      assertThat(resolutions).filteredOn(Resolution::created).hasSize(1);
      String owner = resolutions.stream().filter(Resolution::created).findFirst().orElseThrow().leadId();
      assertThat(resolutions).extracting(Resolution::leadId).containsOnly(owner);
      assertThat(db.queryLong("SELECT count(*) FROM lead_identities WHERE tenant_id = ? AND lead_id = ?", tenant,
              owner))
          .isEqualTo(3);
      assertThat(db.queryLong("SELECT count(*) FROM lead_identities WHERE tenant_id = ?", tenant)).isEqualTo(3);
    }
  }

  @Test
  void twoInstancesWithSeparateCachesAgree() {
    String tenant = tenant();
    IdentityIndex one = newIndex();
    IdentityIndex two = newIndex();

    Resolution created = await(one.resolve(tenant, List.of(phone("p1")), "lead-1"));
    Resolution found = await(two.resolve(tenant, List.of(phone("p1")), "lead-2"));

    assertThat(created).isEqualTo(new Resolution("lead-1", true));
    assertThat(found).isEqualTo(new Resolution("lead-1", false));
    assertThat(await(two.find(tenant, phone("p1")))).contains("lead-1");
  }

  @Test
  void tenantsAreIsolated() {
    IdentityIndex index = newIndex();
    String tenantA = tenant();
    String tenantB = tenant();

    Resolution inA = await(index.resolve(tenantA, List.of(phone("same-index")), "lead-a"));
    Resolution inB = await(index.resolve(tenantB, List.of(phone("same-index")), "lead-b"));

    assertThat(inA).isEqualTo(new Resolution("lead-a", true));
    assertThat(inB).isEqualTo(new Resolution("lead-b", true));
    assertThat(await(index.find(tenantA, phone("same-index")))).contains("lead-a");
    assertThat(await(index.find(tenantB, phone("same-index")))).contains("lead-b");
  }

  @Test
  void reassignMovesAnIdentifier() {
    IdentityIndex index = newIndex();
    String tenant = tenant();
    await(index.resolve(tenant, List.of(phone("p1")), "old-owner"));
    assertThat(await(index.find(tenant, phone("p1")))).contains("old-owner");

    await(index.reassign(tenant, "new-owner", List.of(phone("p1"), bsuid("b-new"))));

    assertThat(await(index.find(tenant, phone("p1")))).contains("new-owner");
    assertThat(await(index.resolve(tenant, List.of(phone("p1")), "someone-else")))
        .isEqualTo(new Resolution("new-owner", false));
    assertThat(await(newIndex().find(tenant, phone("p1")))).contains("new-owner");
    assertThat(await(newIndex().find(tenant, bsuid("b-new")))).contains("new-owner");
  }

  @Test
  void aRetiredLeadsIdentifiersStartAFreshLeadAndAreRememberedAsErased() {
    IdentityIndex index = newIndex();
    String tenant = tenant();
    await(index.resolve(tenant, List.of(phone("p1"), bsuid("b1")), "erased-lead"));
    await(index.resolve(tenant, List.of(phone("p2")), "other-lead"));
    assertThat(await(index.find(tenant, phone("p1")))).as("cached on this node").contains("erased-lead");

    int retired = await(index.retireLead(tenant, "erased-lead"));

    assertThat(retired).isEqualTo(2);
    assertThat(await(index.find(tenant, phone("p1")))).as("the cache forgot it too").isEmpty();
    assertThat(await(index.resolve(tenant, List.of(phone("p1")), "fresh-lead")))
        .isEqualTo(new Resolution("fresh-lead", true));
    assertThat(await(index.wasErased(tenant, "p1"))).isTrue();
    assertThat(await(index.wasErased(tenant, "b1"))).isTrue();
    assertThat(await(index.wasErased(tenant, "p2"))).isFalse();
    assertThat(await(index.find(tenant, phone("p2")))).as("other leads are untouched").contains("other-lead");
    assertThat(db.queryLong(
            "SELECT count(*) FROM erased_identifiers WHERE tenant_id = ? AND lead_id = 'erased-lead'", tenant))
        .isEqualTo(2);
    assertThat(db.queryString(
            "SELECT kind FROM erased_identifiers WHERE tenant_id = ? AND identifier_index = 'b1'", tenant))
        .isEqualTo("bsuid");
  }

  @Test
  void retiringTwiceRetiresNothingMoreAndErasedIdentifiersAreTenantScoped() {
    IdentityIndex index = newIndex();
    String tenant = tenant();
    await(index.resolve(tenant, List.of(phone("p1")), "erased-lead"));

    assertThat(await(index.retireLead(tenant, "erased-lead"))).isEqualTo(1);
    assertThat(await(index.retireLead(tenant, "erased-lead"))).isZero();
    assertThat(await(index.wasErased(tenant(), "p1"))).isFalse();
    assertThat(db.queryLong("SELECT count(*) FROM erased_identifiers WHERE tenant_id = ?", tenant)).isEqualTo(1);
  }

  /** Another node retired the lead: this node's cache still points at it until told. */
  @Test
  void evictingALeadMakesThisNodeAskTheStoreAgain() {
    IdentityIndex thisNode = newIndex();
    IdentityIndex otherNode = newIndex();
    String tenant = tenant();
    await(thisNode.resolve(tenant, List.of(phone("p1")), "erased-lead"));
    await(otherNode.retireLead(tenant, "erased-lead"));
    assertThat(await(thisNode.find(tenant, phone("p1")))).as("stale until told").contains("erased-lead");

    thisNode.evictLead(tenant, "erased-lead");

    assertThat(await(thisNode.resolve(tenant, List.of(phone("p1")), "fresh-lead")))
        .isEqualTo(new Resolution("fresh-lead", true));
  }

  @Test
  void findIsEmptyForAnUnknownIdentifier() {
    assertThat(await(newIndex().find(tenant(), phone("unknown")))).isEqualTo(Optional.empty());
  }

  private interface Attempt {
    CompletionStage<Resolution> run(int thread);
  }

  /** Starts every attempt at once so that they really meet in the database. */
  private static List<Resolution> race(int threads, Attempt attempt) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Resolution>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int thread = i;
        futures.add(
            callers.submit(
                () -> {
                  go.await();
                  return await(attempt.run(thread));
                }));
      }
      go.countDown();
      List<Resolution> resolutions = new ArrayList<>();
      for (Future<Resolution> future : futures) resolutions.add(future.get(60, TimeUnit.SECONDS));
      return resolutions;
    } finally {
      callers.shutdownNow();
    }
  }
}
