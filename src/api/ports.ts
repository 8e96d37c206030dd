import type { PlannedAction } from '../actions/types';
import type { Store } from '../store/database';
import type { LifecycleView } from '../../workflows/lifecycle-signals';
import type {
  AccountInput,
  ContractInput,
  FeatureInput,
  FeedbackInput,
  GoalInput,
  GoalMetInput,
  MilestoneCompletionInput,
  MilestoneInput,
  TicketInput,
  UsageEventInput,
  UserInput,
} from './schemas';

/**
 * Writes of validated rows. Each call is one transaction, so a request either
 * stores everything it carries or nothing.
 */
export interface IngestWriter {
  upsertAccounts(rows: AccountInput[]): Promise<void>;
  upsertUsers(rows: UserInput[]): Promise<void>;
  upsertContracts(rows: ContractInput[]): Promise<void>;
  upsertFeatures(rows: FeatureInput[]): Promise<void>;
  insertUsageEvents(rows: UsageEventInput[]): Promise<{ inserted: number; duplicates: number }>;
  upsertMilestones(rows: MilestoneInput[]): Promise<void>;
  completeMilestones(rows: MilestoneCompletionInput[]): Promise<void>;
  upsertGoals(rows: GoalInput[]): Promise<void>;
  markGoalsMet(rows: GoalMetInput[]): Promise<void>;
  upsertTickets(rows: TicketInput[]): Promise<void>;
  insertFeedback(rows: (FeedbackInput & { earlyAdopter: boolean })[]): Promise<void>;
}

/** Notifications to the lifecycle workflows about ingested data. */
export interface WorkflowNotifier {
  /** Starts (or leaves running) the workflow of each account. */
  accountsUpserted(accountIds: string[]): Promise<void>;
  milestonesCompleted(rows: MilestoneCompletionInput[]): Promise<void>;
  contractsChanged(accountIds: string[]): Promise<void>;
}

/** An in-app notice as the API returns it. */
export interface NoticeView {
  id: string | number;
  title: string;
  body: string;
  ruleId?: string;
  createdAt: number;
  readAt: number | null;
  dismissedAt: number | null;
}

/** A CSM task as the API returns it. */
export interface TaskView {
  id: string | number;
  accountId: string;
  ruleId: string | null;
  owner: string;
  title: string;
  description: string;
  priority: string | number;
  status: 'open' | 'done' | 'snoozed';
  dueAt: number | null;
  snoozedUntil: number | null;
  evidence: unknown;
  createdAt: number;
  /** Reason Uptake closed the task, such as its rule no longer firing; null otherwise. */
  closedReason: string | null;
}

/** Notices, tasks and unsubscribes, stored by the delivery channels. */
export interface DeliveryQueries {
  listNotices(userId: string, options: { unread: boolean }): Promise<NoticeView[]>;
  /** Returns false when the user has no notice with that id. */
  markNoticeRead(userId: string, noticeId: string): Promise<boolean>;
  dismissNotice(userId: string, noticeId: string): Promise<boolean>;
  listTasks(filter: { owner?: string; status?: TaskView['status'] }): Promise<TaskView[]>;
  /** Returns false when no task has that id. */
  completeTask(taskId: string): Promise<boolean>;
  snoozeTask(taskId: string, until: number): Promise<boolean>;
  /** Creates an open task, used to route feedback to a product owner. */
  createTask(task: {
    accountId: string;
    owner: string;
    title: string;
    description: string;
    /** Unique per task source, such as `feedback:<id>`, so routing twice creates one task. */
    key: string;
    evidence: Record<string, unknown>;
  }): Promise<void>;
  unsubscribeUser(userId: string): Promise<boolean>;
  /** Returns the user id in a signed unsubscribe token, or undefined when it is not valid. */
  verifyUnsubscribeToken(token: string): string | undefined;
}

/** One outbox row: the delivery state of one planned action. */
export interface DeliveryView {
  idempotencyKey: string;
  ruleId: string;
  ruleSetVersion: string;
  type: string;
  recipient: string;
  template: string | null;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  /** Reason the action failed or was skipped, or the last transient error while pending. */
  reason: string | null;
  attempts: number;
  createdAt: number;
  /** When the channel accepted the action; null unless sent. */
  sentAt: number | null;
  /** When the row reached its final status (sent, failed or skipped); null while pending. */
  finishedAt: number | null;
  messageId: string | null;
}

/** Lists an account's outbox rows, newest first. */
export type DeliveryLister = (
  accountId: string,
  filter: { status?: DeliveryView['status']; limit: number },
) => Promise<DeliveryView[]>;

/** Explanation of what a check decided, with the delivery state of each planned action. */
export interface DecisionExplanation {
  stage: string;
  notFired: unknown[];
  planned: (PlannedAction & { delivery: DeliveryView | null })[];
  transition: unknown;
}

/** One recorded check of an account with its explanation. */
export interface DecisionView {
  checkedAt: number;
  checkNumber?: number;
  ruleSetVersion?: string;
  fired: unknown[];
  held: unknown[];
  explanation?: DecisionExplanation;
}

/** Stage, signals and recent decisions of one account. */
export interface AccountStateView {
  account: Record<string, unknown>;
  stage: string;
  signals: Record<string, unknown> | null;
  decisions: DecisionView[];
}

/** Reads the state of one account; undefined when the account is not stored. */
export type AccountStateReader = (
  accountId: string,
  asOf: number,
) => Promise<AccountStateView | undefined>;

/** Tells whether an account counts as an early adopter of a feature, for feedback marking. */
export type EarlyAdopterCheck = (accountId: string, featureKey: string | null) => Promise<boolean>;

/** Sends stored feedback to the product team. */
export type FeedbackRouter = (feedback: FeedbackInput & { earlyAdopter: boolean }) => Promise<void>;

/** A lifecycle signal that an operator sends to an account's workflow. */
export type LifecycleCommand = 'pause' | 'resume' | 'recheck';

/**
 * Operator control of account workflows. Both calls raise
 * TemporalUnavailableError when Temporal cannot be reached.
 */
export interface LifecycleControl {
  /** Sends the signal; returns false when no workflow runs for the account and none was started. */
  sendSignal(accountId: string, command: LifecycleCommand): Promise<boolean>;
  /** Returns the workflow's `state` query result, or undefined when no workflow runs for the account. */
  readState(accountId: string): Promise<LifecycleView | undefined>;
}

/** Everything the routes need; the service wires the real implementations in. */
export interface ApiDependencies {
  store: Store;
  ingest: IngestWriter;
  workflows: WorkflowNotifier;
  delivery: DeliveryQueries;
  readAccountState: AccountStateReader;
  isEarlyAdopter: EarlyAdopterCheck;
  routeFeedback: FeedbackRouter;
  lifecycle: LifecycleControl;
  listDeliveries: DeliveryLister;
}
