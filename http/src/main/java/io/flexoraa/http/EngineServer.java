package io.flexoraa.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.Embedder;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.ai.MemoryRecall;
import io.flexoraa.engine.ai.ReplyEngine;
import io.flexoraa.engine.compliance.ComplianceGate;
import io.flexoraa.engine.compliance.ComplianceSettings;
import io.flexoraa.engine.compliance.PortfolioTierEntity;
import io.flexoraa.engine.ports.MetaAccountProbe;
import io.flexoraa.persistence.projection.ComplianceProjections;
import io.flexoraa.persistence.readmodel.ComplianceQueries;
import io.flexoraa.engine.ingest.ConsentKeywords;
import io.flexoraa.engine.ingest.LeadIntake;
import io.flexoraa.engine.ingest.LeadSubmissions;
import io.flexoraa.engine.ingest.MessagingIngest;
import io.flexoraa.engine.ingest.SubmissionForm;
import io.flexoraa.engine.ingest.WhatsAppIngest;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadMerges;
import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.engine.limits.BackpressureSignal;
import io.flexoraa.engine.limits.RateLimits;
import io.flexoraa.persistence.readmodel.AgentQueries;
import io.flexoraa.engine.ports.ChannelCredentials;
import io.flexoraa.engine.ports.MetaSender;
import io.flexoraa.http.meta.GraphApiClient;
import io.flexoraa.engine.outbound.OutboundDispatcher;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.persistence.outbound.JdbcOutboundQueue;
import io.flexoraa.http.meta.GraphSettings;
import io.flexoraa.persistence.directory.JdbcChannelCredentials;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.engine.tenant.TokenDebits;
import io.flexoraa.engine.verification.VerificationSettings;
import io.flexoraa.persistence.projection.TokenProjections;
import io.flexoraa.persistence.costs.JdbcCostLog;
import io.flexoraa.persistence.projection.CostProjections;
import io.flexoraa.persistence.readmodel.UsageQueries;
import io.flexoraa.persistence.readmodel.TokenQueries;
import java.math.BigDecimal;
import io.flexoraa.persistence.Database;
import io.flexoraa.persistence.DatabaseSettings;
import io.flexoraa.http.auth.AuthService;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.users.UserSessions;
import io.flexoraa.persistence.users.UserStore;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.readmodel.ConsentQueries;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.persistence.audit.AuditTrail;
import io.flexoraa.persistence.crypto.KeyRotation;
import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.privacy.Retention;
import io.flexoraa.persistence.projection.AuditProjections;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import io.flexoraa.persistence.directory.JdbcChannelDirectory;
import io.flexoraa.persistence.directory.JdbcUnroutedStore;
import io.flexoraa.persistence.identity.JdbcIdentityIndex;
import io.flexoraa.persistence.projection.LeadProjections;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.engine.abuse.TenantActivity;
import io.flexoraa.engine.abuse.TextFingerprint;
import io.flexoraa.engine.verification.GibberishText;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one engine node: database (embedded unless DATABASE_URL), actor system in a Pekko cluster, the sharded
 * entities, the projections, and the HTTP edge; reports ready only when all of that is up. Stopping goes through
 * coordinated shutdown: readiness drops, the port unbinds, in-flight requests finish, shards hand off, and the
 * database closes last.
 */
public final class EngineServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineServer.class);

  private final ActorSystem<Void> system;
  private final Database database;
  private final ServerBinding binding;
  private final String operatorKey;
  private final ExecutorService blocking;
  private final AtomicBoolean ready;
  private final TinkPiiCipher cipher;
  private final TokenBudget tokens;
  private final GraphApiClient graphApi;
  private final JdbcChannelCredentials channelCredentials;
  private final ComplianceGate complianceGate;
  private final AiComponents ai;
  private final SalesComponents sales;

  private EngineServer(ActorSystem<Void> system, Database database, ServerBinding binding, String operatorKey,
      ExecutorService blocking, AtomicBoolean ready, TinkPiiCipher cipher, TokenBudget tokens,
      GraphApiClient graphApi, JdbcChannelCredentials channelCredentials, ComplianceGate complianceGate,
      AiComponents ai, SalesComponents sales) {
    this.ai = ai;
    this.sales = sales;
    this.graphApi = graphApi;
    this.channelCredentials = channelCredentials;
    this.complianceGate = complianceGate;
    this.cipher = cipher;
    this.tokens = tokens;
    this.system = system;
    this.database = database;
    this.binding = binding;
    this.operatorKey = operatorKey;
    this.blocking = blocking;
    this.ready = ready;
  }

  /** An engine whose suspended channel accounts are checked for recovery through the Graph API. */
  public static EngineServer start(Config loaded, Clock clock) {
    return start(loaded, clock, null);
  }

  /**
   * {@code accountProbe}: asked at each recovery check of a suspended channel account; null for the Graph API client
   * (built later in start-up than the entities that ask it, hence reached through a reference).
   */
  public static EngineServer start(Config loaded, Clock clock, MetaAccountProbe accountProbe) {
    java.util.concurrent.atomic.AtomicReference<MetaAccountProbe> graphProbe =
        new java.util.concurrent.atomic.AtomicReference<>();
    MetaAccountProbe probe = accountProbe != null ? accountProbe : (tenantId, channel, externalId) ->
        graphProbe.get() == null
            ? CompletableFuture.completedFuture(MetaAccountProbe.AccountHealth.UNKNOWN)
            : graphProbe.get().check(tenantId, channel, externalId);
    Path dataDirectory = Path.of(loaded.getString("flexoraa.data-dir")).toAbsolutePath();
    Database database = Database.open(DatabaseSettings.fromConfig(loaded, dataDirectory));
    Config config = withJournalDatabase(loaded, database);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flexoraa", config);
    AtomicBoolean ready = new AtomicBoolean(false);
    ExecutorService blocking = Executors.newFixedThreadPool(config.getInt("flexoraa.database.blocking-threads"));
    try {
      joinCluster(system, config.getString("flexoraa.seed-nodes"));

      Jdbc jdbc = new Jdbc(database.dataSource(), blocking);
      MasterKey masterKey = MasterKey.load(optional(config.getString("flexoraa.master-key")), dataDirectory);
      TinkPiiCipher cipher = new TinkPiiCipher(
          database.dataSource(), masterKey.aead(), blocking, config.getInt("flexoraa.crypto.cache-size"));
      JdbcIdentityIndex identityIndex =
          new JdbcIdentityIndex(database.dataSource(), blocking, config.getInt("flexoraa.identity.cache-size"));
      JdbcChannelDirectory directory = new JdbcChannelDirectory(jdbc);
      JdbcUnroutedStore unrouted = new JdbcUnroutedStore(jdbc);
      EdgeMetrics metrics = new EdgeMetrics();
      KeyEventsBroadcast keyEvents = KeyEventsBroadcast.start(system, cipher, identityIndex::evictLead);
      KeyRotation.Settings rotationSettings = KeyRotation.Settings.fromConfig(config);
      KeyRotation keyRotation = new KeyRotation(cipher, rotationSettings.rewrapBatchSize(), clock);
      TenantJdbc tenantJdbc = new TenantJdbc(database.apiDataSource(), blocking);
      AuditTrail auditTrail = new AuditTrail(jdbc, tenantJdbc, clock);
      Retention retention = new Retention(database.dataSource(), cipher, clock, Retention.Settings.fromConfig(config),
          keyEvents::leadShredded);
      RetentionSchedule retentionSchedule = new RetentionSchedule(retention, blocking);

      LeadEntity.Settings leadSettings = LeadEntity.Settings.fromConfig(config);
      Billing billing = Billing.fromConfig(config);
      LeadEntity.init(system, leadSettings, clock);
      TenantEntity.init(system, config, clock, metrics);
      TokenDebits tokenDebits = TokenDebits.start(system, config);
      ChannelAccountEntity.init(system, config, clock, probe);
      PortfolioTierEntity.init(system, config, clock);
      ComplianceGate complianceGate = new ComplianceGate(system, config,
          config.getDuration("flexoraa.compliance.ask-timeout"), metrics);
      // the node's backpressure mode: set by its AI work queue, read by the AI stage (issue 6) once it exists
      BackpressureSignal backpressure = new BackpressureSignal();
      JdbcCostLog costLog = new JdbcCostLog(jdbc);
      // the AI: its stage takes each admitted message to its lead's agent (the agents start once the outbound flow
      // exists, below); OpenAI with the built-in engine behind it when OPENAI_API_KEY is set
      AiComponents ai = AiComponents.build(config, system, jdbc, tenantJdbc, costLog, backpressure, metrics, clock);
      RateLimits limits = RateLimits.start(system, config, metrics, ai.stage(), backpressure, clock);
      OpsComponents opsComponents = OpsComponents.start(system, config, metrics, limits, unrouted);
      LeadProjections.init(system, database.projectionDataSource(), leadSettings.tagSlices(),
          config.getInt("flexoraa.projection.group-size"), config.getDuration("flexoraa.projection.group-within"));
      AuditProjections.init(system, database.projectionDataSource(), leadSettings.tagSlices(),
          config.getInt("flexoraa.projection.group-size"), config.getDuration("flexoraa.projection.group-within"));
      TokenProjections.init(system, database.projectionDataSource(), billing,
          config.getInt("flexoraa.projection.group-size"), config.getDuration("flexoraa.projection.group-within"));
      CostProjections.init(system, database.projectionDataSource(), leadSettings.tagSlices(),
          config.getInt("flexoraa.projection.group-size"), config.getDuration("flexoraa.projection.group-within"));
      ComplianceProjections.init(system, database.projectionDataSource(),
          config.getInt("flexoraa.projection.group-size"), config.getDuration("flexoraa.projection.group-within"));

      Duration askTimeout = config.getDuration("flexoraa.http.ask-timeout");
      Duration ingestTimeout = config.getDuration("flexoraa.ingest.ask-timeout");
      TenantActivity.Recorder tenantActivity =
          TenantActivity.start(system, config.getDuration("flexoraa.abuse.tenant.report-every"));
      VerificationSettings verificationSettings = VerificationSettings.fromConfig(config);
      LeadIntake leadIntake = new LeadIntake(
          system, identityIndex, cipher, unrouted, metrics, ConsentKeywords.fromConfig(config), ingestTimeout,
          limits.aiWorkQueue(), new TextFingerprint(new GibberishText(verificationSettings.gibberish())),
          tenantActivity, config.getDuration("flexoraa.ingest.stale-after"));
      MessagingIngest messagingIngest =
          new MessagingIngest(system, directory, leadIntake, unrouted, metrics, ingestTimeout);
      WhatsAppIngest ingest = new WhatsAppIngest(
          system, directory, leadIntake, unrouted, metrics, Json.MAPPER, ingestTimeout, messagingIngest);
      LeadSubmissions submissions = new LeadSubmissions(system, identityIndex, cipher, tokenDebits,
          verificationSettings, metrics, clock, config.getDuration("flexoraa.intake.ask-timeout"), tenantActivity);
      LeadIntakeRoutes leadIntakeRoutes = new LeadIntakeRoutes(system, submissions,
          new SubmissionForm(SubmissionForm.Limits.fromConfig(config), submissions.verifier()), limits.admission(),
          LeadIntakeRoutes.ImportSettings.fromConfig(config), tenantActivity);

      Secrets.OperatorKey operator = Secrets.operatorKey(config.getString("flexoraa.operator-key"), dataDirectory);
      String appSecret = config.getString("flexoraa.meta.app-secret");
      if (appSecret.isEmpty()) {
        appSecret = Secrets.random(32);
        log.warn("META_APP_SECRET is not set: webhooks cannot be verified and every POST to /webhooks/meta gets 401");
      }
      UserStore userStore = new UserStore(jdbc, clock);
      UserSessions userSessions = new UserSessions(jdbc, clock);
      // password hashing is CPU- and memory-bound (Argon2id, ~19 MiB each): a small pool of its own, daemon threads
      // because an unfinished hash has nothing to save at shutdown
      ExecutorService hashing = Executors.newFixedThreadPool(config.getInt("flexoraa.auth.hashing-threads"), task -> {
        Thread thread = new Thread(task, "password-hashing");
        thread.setDaemon(true);
        return thread;
      });
      AuthService authService = AuthService.fromConfig(
          config, dataDirectory, userStore, userSessions, masterKey.aead(), hashing, clock);
      AuthRoutes authRoutes = new AuthRoutes(authService, userStore, jdbc, clock);
      Authenticator authenticator = new Authenticator(operator.value(), system, askTimeout,
          config.getDuration("flexoraa.http.api-key-cache-ttl"), authRoutes::authenticate);
      WebhookRoutes webhooks = new WebhookRoutes(system, new WebhookSignature(appSecret),
          config.getString("flexoraa.meta.verify-token"), directory, ingest, metrics,
          config.getBytes("flexoraa.http.webhook-max-bytes"), Duration.ofSeconds(10), clock,
          config.getInt("flexoraa.http.webhook-max-in-flight"));
      LeadQueries leadQueries = new LeadQueries(tenantJdbc, cipher);
      TopUps topUps = TopUps.fromConfig(system, config, jdbc, tenantJdbc, costLog, askTimeout, clock);
      RazorpayWebhookRoutes razorpayWebhooks = new RazorpayWebhookRoutes(system, topUps, unrouted, metrics,
          config.getDuration("flexoraa.http.body-read-timeout"), clock);
      GraphSettings graphSettings = GraphSettings.fromConfig(config);
      JdbcChannelCredentials channelCredentials = new JdbcChannelCredentials(jdbc, cipher,
          graphSettings.credentialsCacheTtl(), graphSettings.credentialsCacheSize(), clock);
      GraphApiClient graphApi = new GraphApiClient(graphSettings, channelCredentials, metrics::graphApiRequest);
      graphProbe.set(graphApi);
      JdbcOutboundQueue outboundQueue = new JdbcOutboundQueue(jdbc);
      OutboundService outbound = new OutboundService(system, directory, cipher, complianceGate, graphApi,
          outboundQueue, clock, OutboundService.Settings.fromConfig(config));
      ai.startAgents(system, tokenDebits, cipher, outbound, database.projectionDataSource(), config, metrics, clock);
      SalesComponents sales = SalesComponents.start(new SalesComponents.Deps(system, config, jdbc, tenantJdbc,
          database.projectionDataSource(), cipher, tokenDebits, outbound, userStore, auditTrail, leadQueries,
          ai.profiles(), metrics, askTimeout, clock));
      ApiRoutes core = new ApiRoutes(system, authenticator, directory, leadQueries, unrouted, channelCredentials,
          cipher, billing.planIds(), askTimeout);
      List<Map<Endpoint, ApiRouter.Handler>> handlers = new java.util.ArrayList<>(List.of(
              core.handlers(),
              leadIntakeRoutes.handlers(),
              authRoutes.handlers(),
              new AuditRoutes(auditTrail).handlers(),
              new ChannelCredentialRoutes(channelCredentials).handlers(),
              new OutboundRoutes(outbound, leadQueries).handlers(),
              new TokenRoutes(system, new TokenQueries(tenantJdbc), askTimeout,
                  new BigDecimal(config.getString("flexoraa.billing.max-grant")), backpressure).handlers(),
              new PrivacyRoutes(system, tenantJdbc, leadQueries, new ConsentQueries(tenantJdbc, cipher), cipher,
                  identityIndex, keyEvents, clock, askTimeout).handlers(),
              new MaintenanceRoutes(keyRotation, keyEvents, retentionSchedule).handlers(),
              new BackpressureRoutes(limits.clusterBackpressure()).handlers(), opsComponents.handlers(),
              new TopUpRoutes(topUps).handlers(),
              new AbuseRoutes(system, leadQueries, limits.aiWorkQueue(), askTimeout, clock).handlers(),
              new UsageRoutes(new UsageQueries(tenantJdbc), UsageRoutes.Settings.fromConfig(config), clock).handlers(),
              new LeadMergeRoutes(new LeadMerges(system, identityIndex, cipher, LeadMerges.Policy.fromConfig(config),
                  askTimeout), leadQueries).handlers(),
              new ComplianceRoutes(complianceGate, new ComplianceQueries(tenantJdbc), directory,
                  ComplianceSettings.fromConfig(config), clock).handlers(),
              new AgentRoutes(new AgentQueries(tenantJdbc), leadQueries).handlers()));
      handlers.addAll(ai.handlers(system, tokenDebits, leadQueries, auditTrail, config, clock));
      handlers.addAll(sales.handlers());
      handlers.add(LiveComponents.start(system, config, database, metrics).handlers());
      ApiRouter api = new ApiRouter(handlers, authenticator,
          tenantId -> ClusterSharding.get(system).entityRefFor(TenantEntity.TYPE_KEY, tenantId)
              .ask(Tenant.Get::new, askTimeout)
              .thenApply(lookup -> Optional.ofNullable(lookup.tenant())));
      OpsRoutes ops = new OpsRoutes(ready::get);
      EdgeHardening hardening = EdgeHardening.fromConfig(config);

      Route route = new AllDirectives() {}.concat(
          ops.route(), webhooks.route(), razorpayWebhooks.route(), sales.extraRoute(), api.route(),
          DashboardRoutes.fromConfig(config).route());
      ServerBinding binding = Http.get(system)
          .newServerAt(config.getString("flexoraa.http.host"), config.getInt("flexoraa.http.port"))
          .bind(hardening.wrap(EdgeErrors.seal(route)))
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      registerShutdown(system, binding, ready);

      awaitMemberUp(system, Duration.ofSeconds(60));
      KeyRotationSchedule.start(system, keyRotation, keyEvents, rotationSettings, clock);
      retentionSchedule.start(system, config.getDuration("flexoraa.retention.interval"));
      new RenewalSchedule(system, clock, askTimeout).start(config.getDuration("flexoraa.billing.renewal-check-every"));
      Config dispatch = config.getConfig("flexoraa.outbound");
      OutboundDispatcher outboundDispatcher = new OutboundDispatcher(system, outboundQueue, outbound, clock,
          dispatch.getDuration("dispatch-every"), dispatch.getInt("dispatch-batch"), dispatch.getDuration("dispatch-lease"));
      system.getWhenTerminated().thenRun(outboundDispatcher::close);
      ai.resumeUnfinished(jdbc, config, clock);
      sales.startBackground();
      ready.set(true);
      String url = "http://" + hostForUrl(config.getString("flexoraa.http.host")) + ":" + binding.localAddress().getPort();
      log.info("Flexoraa Engine ready at {} (database: {})", url, database.isEmbedded() ? "embedded PostgreSQL in " + dataDirectory : "DATABASE_URL");
      if (operator.generated()) {
        // a key in the log would travel wherever the logs are shipped: only where to read it
        log.info("Operator key generated and stored in {} (read it there; it is not logged)", dataDirectory.resolve("operator-key"));
      } else {
        log.info("Operator key: from {}", config.getString("flexoraa.operator-key").isEmpty() ? dataDirectory.resolve("operator-key") : "FLEXORAA_OPERATOR_KEY");
      }
      return new EngineServer(system, database, binding, operator.value(), blocking, ready, cipher, tokenDebits,
          graphApi, channelCredentials, complianceGate, ai, sales);
    } catch (Exception e) {
      system.terminate();
      blocking.shutdownNow();
      database.close();
      throw new IllegalStateException("the engine could not start: " + e.getMessage(), e);
    }
  }

  /** The journal's Slick pool connects to the same database the engine opened. */
  private static Config withJournalDatabase(Config config, Database database) {
    String prefix = "pekko-persistence-jdbc.shared-databases.";
    return ConfigFactory.parseMap(Map.of(
            prefix + "write.db.url", database.jdbcUrl(),
            prefix + "write.db.user", database.user(),
            prefix + "write.db.password", database.password(),
            prefix + "read.db.url", database.jdbcUrl(),
            prefix + "read.db.user", database.user(),
            prefix + "read.db.password", database.password()))
        .withFallback(config)
        .resolve();
  }

  private static void joinCluster(ActorSystem<?> system, String seedNodes) {
    Cluster cluster = Cluster.get(system);
    List<Address> seeds = Arrays.stream(seedNodes.split(","))
        .map(String::trim).filter(seed -> !seed.isEmpty()).map(AddressFromURIString::parse).toList();
    if (seeds.isEmpty()) {
      cluster.manager().tell(new org.apache.pekko.cluster.typed.Join(cluster.selfMember().address()));
    } else {
      cluster.manager().tell(new JoinSeedNodes(seeds));
    }
  }

  private static void awaitMemberUp(ActorSystem<?> system, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("did not join the cluster within " + timeout);
      Thread.sleep(50);
    }
  }

  private static void registerShutdown(ActorSystem<?> system, ServerBinding binding, AtomicBoolean ready) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "not-ready", () -> {
      ready.set(false);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind", () -> binding.unbind());
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "http-requests-done",
        () -> binding.terminate(Duration.ofSeconds(10)).thenApply(terminated -> Done.getInstance()));
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  private static String hostForUrl(String host) {
    return "0.0.0.0".equals(host) ? "localhost" : host;
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String operatorKey() {
    return operatorKey;
  }

  public boolean isReady() {
    return ready.get();
  }

  /** How many messages' AI work this node has started (the AI stage itself arrives with issue 6). */
  public long aiWorkStarted() {
    return ai.stage().started();
  }

  /** Notifications, routing, cold recovery and appointments (issue 7), for tests in this package. */
  SalesComponents sales() {
    return sales;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Database database() {
    return database;
  }

  /** The node's key service; erasure (crypto-shredding) must go through it so its caches forget the key too. */
  public TinkPiiCipher piiCipher() {
    return cipher;
  }

  /** This node's token debits: what the engine's AI pipeline calls before it spends tokens (batched per tenant). */
  public TokenBudget tokens() {
    return tokens;
  }

  /** Sends outbound messages through Meta's Graph API (never the same message id twice); the outbound flow's sender. */
  public MetaSender metaSender() {
    return graphApi;
  }

  /** Asks Meta whether a suspended or restricted account has recovered. */
  public MetaAccountProbe metaAccountProbe() {
    return graphApi;
  }

  /** The channel accounts' Graph API access tokens, stored encrypted under the tenant's key. */
  public ChannelCredentials channelCredentials() {
    return channelCredentials;
  }

  /** The compliance gate: the one decision every outbound message gets (docs/decisions/0022-compliance-gate.md). */
  public ComplianceGate complianceGate() {
    return complianceGate;
  }

  /**
   * The node's AI provider: OpenAI falling back to the built-in engine when OPENAI_API_KEY is set
   * ({@code openai+builtin}), else the built-in engine ({@code builtin}).
   */
  public AiProvider aiProvider() {
    return ai.providers().provider();
  }

  /** OpenAI's embeddings when OPENAI_API_KEY is set, else null (the semantic cache then uses its own). */
  public Embedder embedder() {
    return ai.providers().embedder();
  }

  /** Tenants' AI profiles: the only facts AI replies may state; cached per node (decision 28). */
  public AiProfiles aiProfiles() {
    return ai.profiles();
  }

  /** The reply stage the lead's agent calls: FAQ, semantic cache, provider, fact guard, approved wording. */
  public ReplyEngine replies() {
    return ai.replies();
  }

  /** The lead's most relevant older messages for a reply's context ("3 most relevant older memories"). */
  public MemoryRecall memoryRecall() {
    return ai.memoryRecall();
  }

  /** Graceful stop through coordinated shutdown; returns when the database is closed. */
  @Override
  public void close() {
    try {
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      blocking.shutdown();
      blocking.awaitTermination(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Engine did not stop cleanly: {}", e.toString());
    }
    // the journal writes until the entities have stopped, so the database goes last
    database.close();
    log.info("Database closed; engine stopped");
  }
}
