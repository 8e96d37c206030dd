import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Instants are stored as integer milliseconds since the Unix epoch (UTC), and
 * days as whole days since 1970-01-01 UTC, so that any signal can be computed
 * as of any past instant with plain integer comparisons on SQLite and
 * PostgreSQL alike.
 */
export type EpochMs = number;
/** Whole days since 1970-01-01 UTC. */
export type EpochDay = number;

/** Lifecycle stages of an account. */
export const stages = ['onboarding', 'adoption', 'renewal', 'renewed', 'churned'] as const;
export type Stage = (typeof stages)[number];

/** Outcome of a contract term once it has ended. */
export const termOutcomes = ['renewed', 'expanded', 'churned', 'lapsed'] as const;
export type TermOutcome = (typeof termOutcomes)[number];

export interface AccountTable {
  id: string;
  name: string;
  plan: string | null;
  csm_owner: string | null;
  csm_email: string | null;
  timezone: string;
  stage: Stage;
  /** Custom attributes as a JSON object. */
  attributes: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface UserTable {
  id: string;
  account_id: string;
  email: string | null;
  name: string | null;
  role: string;
  timezone: string | null;
  /** 1 while the user accepts emails, 0 after an unsubscribe. */
  subscribed: number;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** One contract term of an account; a renewal starts a new row with the next term number. */
export interface ContractTable {
  id: string;
  account_id: string;
  term_number: number;
  /** Contract start, or trial start when the term began with a trial. */
  start_at: EpochMs;
  renewal_at: EpochMs;
  seats: number | null;
  value: number | null;
  status: 'active' | 'ended' | 'cancelled';
  outcome: TermOutcome | null;
  outcome_at: EpochMs | null;
  updated_at: EpochMs;
}

export interface FeatureTable {
  key: string;
  name: string;
  released_at: EpochMs | null;
  /** 1 for the features that matter for adoption breadth and onboarding emails. */
  is_key: number;
  help_url: string | null;
}

/** Raw usage events, deduplicated by event id. A null feature key is a login. */
export interface UsageEventTable {
  event_id: string;
  account_id: string;
  user_id: string | null;
  feature_key: string | null;
  occurred_at: EpochMs;
  count: number;
}

/**
 * Daily rollup of usage events. The empty string stands for "no user" and for
 * "login" (no feature), so the key stays a plain primary key on both engines.
 */
export interface UsageDailyTable {
  account_id: string;
  user_id: string;
  feature_key: string;
  day: EpochDay;
  count: number;
  events: number;
}

export interface MilestoneTable {
  account_id: string;
  key: string;
  name: string;
  due_at: EpochMs | null;
  completed_at: EpochMs | null;
}

/** A condition of success for one account and when it was met. */
export interface GoalTable {
  account_id: string;
  key: string;
  name: string;
  /** When the account is expected to meet the goal; drives "no goal met by time to value" rules. */
  due_at: EpochMs | null;
  met_at: EpochMs | null;
}

export interface TicketTable {
  id: string;
  account_id: string;
  user_id: string | null;
  opened_at: EpochMs;
  closed_at: EpochMs | null;
  priority: string | null;
  subject: string | null;
  satisfaction: number | null;
}

export interface FeedbackTable {
  id: string;
  account_id: string;
  user_id: string | null;
  kind: 'idea' | 'problem' | 'praise';
  feature_key: string | null;
  body: string;
  /** 1 when the account was an early adopter (innovator or early adopter) of the feature. */
  early_adopter: number;
  created_at: EpochMs;
  routed_at: EpochMs | null;
}

/** Lifecycle of one outbox row: pending until its side effect is done or given up. */
export const outboxStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * One planned action, stored under its idempotency key before its side effect
 * so that a retried or replayed delivery finds it and does nothing.
 */
export interface OutboxTable {
  idempotency_key: string;
  account_id: string;
  rule_id: string;
  rule_set_version: string;
  type: string;
  /** User id (email, notice), CSM owner (task) or URL (webhook). */
  recipient: string;
  template: string | null;
  status: OutboxStatus;
  /** Reason the action was skipped or failed, or the last transient error while pending. */
  reason: string | null;
  attempts: number;
  created_at: EpochMs;
  sent_at: EpochMs | null;
  /** SMTP Message-ID for email, notice or task id for in-app channels. */
  message_id: string | null;
  /** Delivery attempt that owns the pending row; null when no attempt owns it. */
  lease_owner: string | null;
  /** Instant after which another attempt may take the row over. */
  lease_expires_at: EpochMs | null;
  /** When the owner handed the message to the relay; set means the outcome may be unknown. */
  send_started_at: EpochMs | null;
  /** When the owner had written the whole message, terminator included, to the relay connection. */
  handed_over_at: EpochMs | null;
  /** When the row reached its final status (sent, failed or skipped); null while pending. */
  finished_at: EpochMs | null;
}

/** An in-app notice for one user. */
export interface NoticeTable {
  id: string;
  account_id: string;
  user_id: string;
  rule_id: string;
  title: string;
  body: string;
  created_at: EpochMs;
  read_at: EpochMs | null;
  dismissed_at: EpochMs | null;
}

export const taskStatuses = ['open', 'done', 'snoozed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** A CSM task; at most one task per account and rule is not done (a partial unique index). */
export interface TaskTable {
  id: string;
  account_id: string;
  rule_id: string;
  owner: string;
  title: string;
  description: string;
  priority: string;
  due_at: EpochMs;
  /** The facts that fired the rule, as a JSON object. */
  evidence: string;
  status: TaskStatus;
  snoozed_until: EpochMs | null;
  created_at: EpochMs;
  completed_at: EpochMs | null;
  /** 1 when the task closes by itself once its rule stops firing, else 0. */
  auto_close: Generated<number>;
  /** Reason the task was closed without the CSM, such as its rule no longer firing; null otherwise. */
  closed_reason: string | null;
}

/** An email address or user that must not receive email. */
export interface SuppressionTable {
  id: Generated<number>;
  email: string | null;
  user_id: string | null;
  reason: string;
  created_at: EpochMs;
}

/** One HTTP attempt of a webhook delivery. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  idempotency_key: string;
  attempt: number;
  url: string;
  status_code: number | null;
  error: string | null;
  attempted_at: EpochMs;
}

/** A learned benchmark set; `payload` is the JSON of the whole set. Versions count up from 1. */
export interface BenchmarkSetTable {
  version: number;
  created_at: EpochMs;
  /** Only terms that ended before this instant were learned from; null for all ended terms. */
  terms_before: EpochMs | null;
  payload: string;
}

/** One signal at one account week of a benchmark set, for queries without parsing the payload. */
export interface BenchmarkSignalTable {
  version: number;
  signal: string;
  week: number;
  renewed_count: number;
  churned_count: number;
  renewed_median: number | null;
  churned_median: number | null;
  auc: number | null;
  threshold: number | null;
  /** 'higher' or 'lower': the side of the threshold that predicts renewal. */
  healthier: string | null;
}

/**
 * One account check: the explanation of a decision. JSON columns hold arrays:
 * fired rules, rules not fired with their failing conditions, actions held
 * back with their reason, and planned actions.
 */
export interface CheckTable {
  workflow_id: string;
  /** The run chain of the workflow id; empty for checks stored before chains were kept. */
  chain_id: Generated<string>;
  check_number: number;
  account_id: string;
  checked_at: EpochMs;
  stage: Stage;
  rule_set_version: string;
  fired: string;
  not_fired: string;
  held: string;
  planned: string;
  /** The stage transition decided at this check as JSON, or null. */
  transition: string | null;
}

export interface Database {
  accounts: AccountTable;
  users: UserTable;
  contracts: ContractTable;
  features: FeatureTable;
  usage_events: UsageEventTable;
  usage_daily: UsageDailyTable;
  milestones: MilestoneTable;
  goals: GoalTable;
  tickets: TicketTable;
  feedback: FeedbackTable;
  outbox: OutboxTable;
  notices: NoticeTable;
  tasks: TaskTable;
  suppressions: SuppressionTable;
  webhook_deliveries: WebhookDeliveryTable;
  benchmark_sets: BenchmarkSetTable;
  benchmark_signals: BenchmarkSignalTable;
  checks: CheckTable;
}

export type Account = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Contract = Selectable<ContractTable>;
export type NewContract = Insertable<ContractTable>;
export type Feature = Selectable<FeatureTable>;
export type UsageEvent = Selectable<UsageEventTable>;
export type NewUsageEvent = Insertable<UsageEventTable>;
export type Milestone = Selectable<MilestoneTable>;
export type Goal = Selectable<GoalTable>;
export type Ticket = Selectable<TicketTable>;
export type Feedback = Selectable<FeedbackTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type Notice = Selectable<NoticeTable>;
export type Task = Selectable<TaskTable>;
export type CheckRow = Selectable<CheckTable>;

// Kept for tables that later migrations add with generated keys.
export type AutoId = Generated<number>;
export type JsonText = ColumnType<string, string, string>;
