package io.flexoraa.http;

import static io.flexoraa.engine.access.Permission.Action.APPROVE;
import static io.flexoraa.engine.access.Permission.Action.READ;
import static io.flexoraa.engine.access.Permission.Action.VERIFY;
import static io.flexoraa.engine.access.Permission.Action.WRITE;
import static io.flexoraa.engine.access.Permission.Resource.AI;
import static io.flexoraa.engine.access.Permission.Resource.API_KEYS;
import static io.flexoraa.engine.access.Permission.Resource.AUDIT;
import static io.flexoraa.engine.access.Permission.Resource.BILLING;
import static io.flexoraa.engine.access.Permission.Resource.CHANNEL_ACCOUNTS;
import static io.flexoraa.engine.access.Permission.Resource.COMPLIANCE;
import static io.flexoraa.engine.access.Permission.Resource.ENCRYPTION_KEYS;
import static io.flexoraa.engine.access.Permission.Resource.LEADS;
import static io.flexoraa.engine.access.Permission.Resource.LEAD_EXPORT;
import static io.flexoraa.engine.access.Permission.Resource.PRIVACY;
import static io.flexoraa.engine.access.Permission.Resource.ROUTING;
import static io.flexoraa.engine.access.Permission.Resource.TENANT_PROFILE;
import static io.flexoraa.engine.access.Permission.Resource.USERS;

import io.flexoraa.engine.access.Permission;
import io.flexoraa.engine.access.Permission.Action;
import io.flexoraa.engine.access.Permission.Resource;
import java.util.List;

/**
 * Every endpoint of {@code /api/v1}: method, path template and who may call it. This is the only place a route can
 * be declared ({@link ApiRouter} serves exactly these, and refuses to start when one has no handler), so an
 * endpoint cannot exist without an access rule, and the role test walks this list.
 */
public enum Endpoint {
  LOGIN("POST", "auth/login", Access.PUBLIC, null),
  ENROL_SECOND_FACTOR("POST", "auth/mfa/enroll", Access.SELF_BEFORE_SECOND_FACTOR, null),
  VERIFY_SECOND_FACTOR("POST", "auth/mfa/verify", Access.SELF_BEFORE_SECOND_FACTOR, null),
  LOGOUT("POST", "auth/logout", Access.SELF_BEFORE_SECOND_FACTOR, null),
  CURRENT_USER("GET", "auth/me", Access.SELF, null),
  CHANGE_PASSWORD("POST", "auth/password", Access.SELF, null),

  CREATE_TENANT("POST", "tenants", Access.OPERATOR, null),
  LIST_UNROUTED("GET", "ops/unrouted", Access.OPERATOR, null),
  RUN_RETENTION("POST", "ops/retention/run", Access.OPERATOR, null),
  GET_BACKPRESSURE("GET", "ops/backpressure", Access.OPERATOR, null),
  /** The cluster at a glance: members, shards, ingest rate and latency, backpressure, unrouted (decision 38). */
  GET_OPS_OVERVIEW("GET", "ops/overview", Access.OPERATOR, null),

  GET_TENANT("GET", "tenants/{tenant}", Access.PERMISSION, permission(TENANT_PROFILE, READ)),
  LIST_CHANNEL_ACCOUNTS("GET", "tenants/{tenant}/channel-accounts", Access.PERMISSION, permission(CHANNEL_ACCOUNTS, READ)),
  REGISTER_CHANNEL_ACCOUNT("POST", "tenants/{tenant}/channel-accounts", Access.PERMISSION, permission(CHANNEL_ACCOUNTS, WRITE)),
  /** The account's Graph API access token: stored encrypted, audited without it, never returned. */
  STORE_CHANNEL_CREDENTIALS("PUT", "tenants/{tenant}/channel-accounts/{channel}/{account}/credentials", Access.PERMISSION, permission(CHANNEL_ACCOUNTS, WRITE)),
  LIST_API_KEYS("GET", "tenants/{tenant}/api-keys", Access.PERMISSION, permission(API_KEYS, READ)),
  CREATE_API_KEY("POST", "tenants/{tenant}/api-keys", Access.PERMISSION, permission(API_KEYS, WRITE)),
  REVOKE_API_KEY("DELETE", "tenants/{tenant}/api-keys/{key}", Access.PERMISSION, permission(API_KEYS, WRITE)),
  LIST_USERS("GET", "tenants/{tenant}/users", Access.PERMISSION, permission(USERS, READ)),
  CREATE_USER("POST", "tenants/{tenant}/users", Access.PERMISSION, permission(USERS, WRITE)),
  GET_USER("GET", "tenants/{tenant}/users/{user}", Access.PERMISSION, permission(USERS, READ)),
  UPDATE_USER("PATCH", "tenants/{tenant}/users/{user}", Access.PERMISSION, permission(USERS, WRITE)),
  REMOVE_USER("DELETE", "tenants/{tenant}/users/{user}", Access.PERMISSION, permission(USERS, WRITE)),
  LIST_LEADS("GET", "tenants/{tenant}/leads", Access.PERMISSION, permission(LEADS, READ)),
  /** A lead from a web form or a CRM (an API key with the Manager role is the CRM case). */
  SUBMIT_LEAD("POST", "tenants/{tenant}/leads", Access.PERMISSION, permission(LEADS, WRITE)),
  IMPORT_LEADS("POST", "tenants/{tenant}/leads/import", Access.PERMISSION, permission(LEADS, WRITE)),
  GET_LEAD("GET", "tenants/{tenant}/leads/{lead}", Access.PERMISSION, permission(LEADS, READ)),
  LIST_MESSAGES("GET", "tenants/{tenant}/leads/{lead}/messages", Access.PERMISSION, permission(LEADS, READ)),
  /** A person's reply to a lead, through the compliance gate and the sender (OutboundRoutes). */
  SEND_MESSAGE("POST", "tenants/{tenant}/leads/{lead}/messages", Access.PERMISSION, permission(LEADS, WRITE)),
  /** PRODUCT §3: the lead in the path absorbs {@code otherLeadId}; audited. */
  MERGE_LEADS("POST", "tenants/{tenant}/leads/{lead}/merge", Access.PERMISSION, permission(LEADS, WRITE)),
  LIST_CONSENTS("GET", "tenants/{tenant}/leads/{lead}/consents", Access.PERMISSION, permission(LEADS, READ)),
  RECORD_CONSENT("POST", "tenants/{tenant}/leads/{lead}/consents", Access.PERMISSION, permission(LEADS, WRITE)),
  EXPORT_LEAD("GET", "tenants/{tenant}/leads/{lead}/export", Access.PERMISSION, permission(LEAD_EXPORT, READ)),
  CREATE_DELETION_REQUEST("POST", "tenants/{tenant}/privacy/deletion-requests", Access.PERMISSION, permission(PRIVACY, WRITE)),
  LIST_DELETION_REQUESTS("GET", "tenants/{tenant}/privacy/deletion-requests", Access.PERMISSION, permission(PRIVACY, READ)),
  GET_DELETION_REQUEST("GET", "tenants/{tenant}/privacy/deletion-requests/{request}", Access.PERMISSION, permission(PRIVACY, READ)),
  APPROVE_DELETION_REQUEST("POST", "tenants/{tenant}/privacy/deletion-requests/{request}/approve", Access.PERMISSION, permission(PRIVACY, APPROVE)),
  REJECT_DELETION_REQUEST("POST", "tenants/{tenant}/privacy/deletion-requests/{request}/reject", Access.PERMISSION, permission(PRIVACY, APPROVE)),
  LIST_AUDIT("GET", "tenants/{tenant}/audit", Access.PERMISSION, permission(AUDIT, READ)),
  VERIFY_AUDIT("GET", "tenants/{tenant}/audit/verify", Access.PERMISSION, permission(AUDIT, VERIFY)),
  GET_ENCRYPTION_KEYS("GET", "tenants/{tenant}/keys", Access.PERMISSION, permission(ENCRYPTION_KEYS, READ)),
  ROTATE_ENCRYPTION_KEYS("POST", "tenants/{tenant}/keys/rotate", Access.PERMISSION, permission(ENCRYPTION_KEYS, WRITE)),
  GET_TOKENS("GET", "tenants/{tenant}/tokens", Access.PERMISSION, permission(BILLING, READ)),
  LIST_TOKEN_LEDGER("GET", "tenants/{tenant}/tokens/ledger", Access.PERMISSION, permission(BILLING, READ)),
  LIST_TOKEN_NOTIFICATIONS("GET", "tenants/{tenant}/tokens/notifications", Access.PERMISSION, permission(BILLING, READ)),
  /** Tokens, model calls, outbound messages, external calls and money per operation, channel or day (the cost log). */
  GET_USAGE("GET", "tenants/{tenant}/usage", Access.PERMISSION, permission(BILLING, READ)),
  /** Razorpay top-ups: buying is a billing write (Admin only); Razorpay's own webhook is outside /api (RazorpayWebhookRoutes). */
  LIST_TOP_UPS("GET", "tenants/{tenant}/tokens/topups", Access.PERMISSION, permission(BILLING, READ)),
  /** The packs on sale and their prices (flexoraa.billing.top-up-packs), so the dashboard offers exactly those. */
  LIST_TOP_UP_PACKS("GET", "tenants/{tenant}/tokens/packs", Access.PERMISSION, permission(BILLING, READ)),
  CREATE_TOP_UP("POST", "tenants/{tenant}/tokens/topups", Access.PERMISSION, permission(BILLING, WRITE)),
  CONFIRM_TOP_UP("POST", "tenants/{tenant}/tokens/topups/{order}/confirm", Access.PERMISSION, permission(BILLING, WRITE)),
  /** Abuse protection: the tenant's triggers and restrictions; releasing one early is a billing write (Admin). */
  GET_ABUSE("GET", "tenants/{tenant}/abuse", Access.PERMISSION, permission(BILLING, READ)),
  RELEASE_ABUSE("POST", "tenants/{tenant}/abuse/release", Access.PERMISSION, permission(BILLING, WRITE)),
  /** Templates of one channel account for the compliance gate: registered PENDING until Meta's status webhook. */
  LIST_TEMPLATES("GET", "tenants/{tenant}/channel-accounts/{channel}/{externalId}/templates", Access.PERMISSION, permission(CHANNEL_ACCOUNTS, READ)),
  REGISTER_TEMPLATE("POST", "tenants/{tenant}/channel-accounts/{channel}/{externalId}/templates", Access.PERMISSION, permission(CHANNEL_ACCOUNTS, WRITE)),
  /** The compliance gate's decisions (newest first) and its dashboard summary. */
  LIST_COMPLIANCE_DECISIONS("GET", "tenants/{tenant}/compliance/decisions", Access.PERMISSION, permission(COMPLIANCE, READ)),
  GET_COMPLIANCE_SUMMARY("GET", "tenants/{tenant}/compliance/summary", Access.PERMISSION, permission(COMPLIANCE, READ)),
  /** The lead agent's view of a lead (score, history, analyses, replies), review tasks and AI notifications. */
  GET_LEAD_AI("GET", "tenants/{tenant}/leads/{lead}/ai", Access.PERMISSION, permission(LEADS, READ)),
  /** A person takes the conversation from the AI (analysis and scoring go on); an SDR their own leads; audited. */
  TAKE_OVER_LEAD("POST", "tenants/{tenant}/leads/{lead}/takeover", Access.PERMISSION, permission(LEADS, WRITE)),
  /** The conversation goes back to the AI, which answers the lead's next message; audited. */
  HAND_BACK_LEAD("POST", "tenants/{tenant}/leads/{lead}/handback", Access.PERMISSION, permission(LEADS, WRITE)),
  LIST_AI_REVIEW_TASKS("GET", "tenants/{tenant}/ai/review-tasks", Access.PERMISSION, permission(LEADS, READ)),
  LIST_AI_NOTIFICATIONS("GET", "tenants/{tenant}/ai/notifications", Access.PERMISSION, permission(LEADS, READ)),
  /** The AI's reading of one message (language, intent, budget, timeline, escalation...); debits intent-classification. */
  ANALYZE_MESSAGE("POST", "tenants/{tenant}/ai/analyze", Access.PERMISSION, permission(AI, READ)),
  /** The tenant's AI profile: the only facts, tone, FAQ and wording AI replies may use (decision 28). */
  GET_AI_PROFILE("GET", "tenants/{tenant}/ai-profile", Access.PERMISSION, permission(AI, READ)),
  PUT_AI_PROFILE("PUT", "tenants/{tenant}/ai-profile", Access.PERMISSION, permission(AI, WRITE)),
  /** Appointments (PRODUCT §4.8): free slots of an SDR for a lead, the 3-slot offer, bookings serialised per SDR. */
  LIST_APPOINTMENT_SLOTS("GET", "tenants/{tenant}/appointments/slots", Access.PERMISSION, permission(LEADS, READ)),
  OFFER_APPOINTMENT("POST", "tenants/{tenant}/appointments/offers", Access.PERMISSION, permission(LEADS, WRITE)),
  BOOK_APPOINTMENT("POST", "tenants/{tenant}/appointments", Access.PERMISSION, permission(LEADS, WRITE)),
  LIST_APPOINTMENTS("GET", "tenants/{tenant}/appointments", Access.PERMISSION, permission(LEADS, READ)),
  /** The post-call follow-up tasks of an SDR (an SDR: their own), newest first. */
  LIST_APPOINTMENT_TASKS("GET", "tenants/{tenant}/appointments/tasks", Access.PERMISSION, permission(LEADS, READ)),
  GET_APPOINTMENT("GET", "tenants/{tenant}/appointments/{appointment}", Access.PERMISSION, permission(LEADS, READ)),
  RESCHEDULE_APPOINTMENT("POST", "tenants/{tenant}/appointments/{appointment}/reschedule", Access.PERMISSION, permission(LEADS, WRITE)),
  CANCEL_APPOINTMENT("POST", "tenants/{tenant}/appointments/{appointment}/cancel", Access.PERMISSION, permission(LEADS, WRITE)),
  /** An SDR's Google Calendar for free/busy: the access token stored encrypted, never returned. */
  CONNECT_SDR_CALENDAR("PUT", "tenants/{tenant}/sdrs/{user}/calendar", Access.PERMISSION, permission(ROUTING, WRITE)),
  /**
   * In-app notifications (decision 29): every member of the tenant (tenant-profile read: every role) reads, streams
   * and marks read their own; {@code ?userId=} of another user needs users read (Admin, Manager), checked by the route.
   */
  LIST_NOTIFICATIONS("GET", "tenants/{tenant}/notifications", Access.PERMISSION, permission(TENANT_PROFILE, READ)),
  /** Server-Sent Events: the user's notifications as they are stored anywhere in the cluster; Last-Event-ID resumes. */
  STREAM_NOTIFICATIONS("GET", "tenants/{tenant}/notifications/stream", Access.PERMISSION, permission(TENANT_PROFILE, READ)),
  READ_NOTIFICATION("POST", "tenants/{tenant}/notifications/{notification}/read", Access.PERMISSION, permission(TENANT_PROFILE, READ)),
  /**
   * Server-Sent Events for the dashboard (decision 34): a small id-only event whenever a projection commits a change
   * of the tenant's leads, messages, routing, appointments, compliance or tokens; the page re-reads through the API.
   */
  STREAM_LIVE("GET", "tenants/{tenant}/live", Access.PERMISSION, permission(LEADS, READ)),
  /** Cold recovery (decision 31): the tenant's success figures over a period, and one lead's sequences. */
  GET_COLD_RECOVERY_STATS("GET", "tenants/{tenant}/cold-recovery", Access.PERMISSION, permission(ROUTING, READ)),
  GET_LEAD_COLD_RECOVERY("GET", "tenants/{tenant}/leads/{lead}/cold-recovery", Access.PERMISSION, permission(LEADS, READ)),
  /** Routing (issue 7; docs/decisions/0030-routing-desk.md): the SDR roster, the queue, reassignment, SLA figures. */
  LIST_SDRS("GET", "tenants/{tenant}/sdrs", Access.PERMISSION, permission(ROUTING, READ)),
  ADD_SDR("POST", "tenants/{tenant}/sdrs", Access.PERMISSION, permission(ROUTING, WRITE)),
  /** Routing read, or the SDR themself (their presence and capacity for My queue): checked again in the handler. */
  GET_SDR("GET", "tenants/{tenant}/sdrs/{user}", Access.PERMISSION, permission(LEADS, READ)),
  UPDATE_SDR("PUT", "tenants/{tenant}/sdrs/{user}", Access.PERMISSION, permission(ROUTING, WRITE)),
  REMOVE_SDR("DELETE", "tenants/{tenant}/sdrs/{user}", Access.PERMISSION, permission(ROUTING, WRITE)),
  /** The SDR themself (who holds leads write), or anyone with routing write: checked again in the handler. */
  SET_SDR_PRESENCE("PUT", "tenants/{tenant}/sdrs/{user}/presence", Access.PERMISSION, permission(LEADS, WRITE)),
  /**
   * The waiting queue: routing read sees each lead; any lead reader (an SDR's My queue) only how many wait, their
   * bands and since when, without lead ids (docs/decisions/0036-board-and-queue.md).
   */
  GET_ROUTING_QUEUE("GET", "tenants/{tenant}/routing/queue", Access.PERMISSION, permission(LEADS, READ)),
  /** {@code {"userId"}} gives the lead to that SDR, {@code {}} routes it again; audited. */
  ASSIGN_LEAD("POST", "tenants/{tenant}/leads/{lead}/assignment", Access.PERMISSION, permission(ROUTING, WRITE)),
  /**
   * {@code {"outcome": "won"|"lost"|"closed", "note"?}} ends the lead's assignment (frees the SDR's capacity, stops
   * its clocks): the assigned SDR (leads write, their own leads only) or anyone with routing write; audited.
   */
  CLOSE_ASSIGNMENT("POST", "tenants/{tenant}/leads/{lead}/assignment/close", Access.PERMISSION,
      permission(LEADS, WRITE)),
  /** The assigned SDR opened the lead (leakage: unseen). */
  MARK_LEAD_SEEN("POST", "tenants/{tenant}/leads/{lead}/seen", Access.PERMISSION, permission(LEADS, WRITE)),
  /** The routing payload: last messages, score, factors, extracted fields, channel, profile link, assignment. */
  GET_LEAD_ROUTING("GET", "tenants/{tenant}/leads/{lead}/routing", Access.PERMISSION, permission(LEADS, READ)),
  GET_SLA("GET", "tenants/{tenant}/sla", Access.PERMISSION, permission(ROUTING, READ)),
  /** Support grants: the platform operator only, audited through the tenant's events. */
  GRANT_TOKENS("POST", "tenants/{tenant}/tokens/grants", Access.OPERATOR, null);

  /** How an endpoint is guarded. */
  public enum Access {
    /** No credentials (signing in). */
    PUBLIC,
    /** A signed-in person acting on their own account, even before their second factor is verified. */
    SELF_BEFORE_SECOND_FACTOR,
    /** A signed-in person acting on their own account. */
    SELF,
    /** The platform operator only: cross-tenant operations. */
    OPERATOR,
    /** A tenant's user or API key holding {@link #permission()} on the tenant in the path, or the operator. */
    PERMISSION
  }

  private final String method;
  private final String template;
  private final List<String> segments;
  private final Access access;
  private final Permission permission;

  Endpoint(String method, String template, Access access, Permission permission) {
    this.method = method;
    this.template = template;
    this.segments = List.of(template.split("/"));
    this.access = access;
    this.permission = permission;
  }

  private static Permission permission(Resource resource, Action action) {
    return Permission.of(resource, action);
  }

  public String method() {
    return method;
  }

  /** The path below {@code /api/v1/}, with {@code {name}} for each variable segment. */
  public String template() {
    return template;
  }

  List<String> segments() {
    return segments;
  }

  public Access access() {
    return access;
  }

  /** Null unless {@link #access()} is {@link Access#PERMISSION}. */
  public Permission permission() {
    return permission;
  }

  public boolean tenantScoped() {
    return template.startsWith("tenants/{tenant}");
  }
}
