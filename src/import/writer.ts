import type { Store } from '../store/database';
import * as ingest from '../store/ingest';
import type { NewAccount, NewContract, NewUsageEvent, NewUser } from '../store/schema';
import { entityNames, type EntityName } from './mapping-schema';
import { resolveOutcomes } from './outcomes';
import type { EntityRecord, RowRejection } from './row-mapper';
import * as rows from './store-rows';
import { quoteValue } from './quote';

/** A rejected source row. */
export interface Rejection {
  file: string;
  line: number;
  column?: string;
  reason: string;
}

/** Rows written per entity, and what insertUsageEvents reported. */
export interface WriteCounts {
  entities: Record<EntityName, number>;
  eventsInserted: number;
  eventsDuplicate: number;
}

/** Creates zeroed counts. */
export function emptyCounts(): WriteCounts {
  const entities = {} as Record<EntityName, number>;
  for (const name of entityOrder) entities[name] = 0;
  return { entities, eventsInserted: 0, eventsDuplicate: 0 };
}

// Rows that others refer to (accounts, contracts) are written first.
const entityOrder: readonly EntityName[] = entityNames;

/** Checks whether the row's own entities create the account `id`. */
function addsAccount(records: readonly EntityRecord[], id: string): boolean {
  return records.some((record) => record.entity === 'account' && String(record.fields.id) === id);
}

/**
 * Buffers the entities of one source file and writes them in batches through the store's
 * ingest functions. `store` is normally bound to the file's transaction.
 */
export class FileWriter {
  readonly counts = emptyCounts();
  readonly rejections: Rejection[] = [];
  /** Accounts this file added, merged into the known set only when the file commits. */
  readonly newAccounts = new Set<string>();
  private buffered = 0;
  private readonly accounts: NewAccount[] = [];
  private readonly users: NewUser[] = [];
  private readonly contracts: NewContract[] = [];
  private readonly events: NewUsageEvent[] = [];
  private readonly other = new Map<EntityName, unknown[]>();
  private readonly outcomes: rows.PendingOutcome[] = [];
  private readonly unnumbered = new Set<string>();
  private readonly usage: ingest.UsageWriter;

  constructor(
    private readonly store: Store,
    private readonly file: string,
    private readonly knownAccounts: ReadonlySet<string>,
    private readonly now: number,
    private readonly batchSize: number,
  ) {
    this.usage = new ingest.UsageWriter(store);
  }

  /**
   * Checks a mapped row against the accounts known so far and buffers its entities. The caller
   * writes them with flush() once `full` is true.
   */
  add(line: number, records: readonly EntityRecord[]): RowRejection | undefined {
    for (const record of records) {
      const accountId = record.fields.accountId;
      if (record.entity === 'account' || accountId === undefined || accountId === null) continue;
      const id = String(accountId);
      if (!this.isKnown(id) && !addsAccount(records, id)) {
        return { column: record.columns.accountId, reason: `unknown account ${quoteValue(id)}` };
      }
    }
    for (const record of records) this.buffer(line, record);
    return undefined;
  }

  /** Whether the buffered rows have reached the batch size. */
  get full(): boolean {
    return this.buffered >= this.batchSize;
  }

  private isKnown(id: string): boolean {
    return this.knownAccounts.has(id) || this.newAccounts.has(id);
  }

  private buffer(line: number, record: EntityRecord): void {
    const { fields } = record;
    this.buffered += 1;
    switch (record.entity) {
      case 'account':
        this.accounts.push(rows.toAccount(fields, this.now));
        this.newAccounts.add(String(fields.id));
        return;
      case 'user':
        this.users.push(rows.toUser(fields, this.now));
        return;
      case 'contract':
        this.contracts.push(rows.toContract(fields, this.now));
        if (fields.termNumber === undefined || fields.termNumber === null) {
          this.unnumbered.add(String(fields.accountId));
        }
        return;
      case 'usageEvent':
        this.events.push(rows.toUsageEvent(fields, this.eventId(line, record)));
        return;
      case 'termOutcome':
        this.outcomes.push(rows.toPendingOutcome(fields, line, record.columns.at));
        return;
      default:
        this.pushOther(record);
    }
  }

  /** `<file name>:<eventKey or line>`, plus the join position for one-to-many joins. */
  private eventId(line: number, record: EntityRecord): string {
    const key = record.fields.eventKey ?? line;
    const suffix = record.expansion > 0 ? `#${record.expansion}` : '';
    return `${this.file}:${String(key)}${suffix}`;
  }

  private pushOther(record: EntityRecord): void {
    const converters: Partial<Record<EntityName, (fields: EntityRecord['fields']) => unknown>> = {
      feature: rows.toFeature,
      milestone: rows.toMilestone,
      milestoneCompletion: rows.toCompletion,
      goal: rows.toGoal,
      ticket: rows.toTicket,
      feedback: rows.toFeedback,
    };
    const list = this.other.get(record.entity) ?? [];
    list.push(converters[record.entity]!(record.fields));
    this.other.set(record.entity, list);
  }

  /** Writes every buffered row, referenced entities first. */
  async flush(): Promise<void> {
    const { store, counts } = this;
    counts.entities.account += await ingest.upsertAccounts(store, this.accounts.splice(0));
    counts.entities.user += await ingest.upsertUsers(store, this.users.splice(0));
    counts.entities.contract += await ingest.upsertContracts(store, this.contracts.splice(0));
    counts.entities.feature += await ingest.upsertFeatures(store, this.take('feature'));
    const result = await this.usage.insert(this.events.splice(0));
    counts.entities.usageEvent += result.inserted + result.duplicates;
    counts.eventsInserted += result.inserted;
    counts.eventsDuplicate += result.duplicates;
    counts.entities.milestone += await ingest.upsertMilestones(store, this.take('milestone'));
    counts.entities.milestoneCompletion += await ingest.completeMilestones(
      store,
      this.take('milestoneCompletion'),
    );
    counts.entities.goal += await ingest.upsertGoals(store, this.take('goal'));
    counts.entities.ticket += await ingest.upsertTickets(store, this.take('ticket'));
    counts.entities.feedback += (
      await ingest.insertFeedback(store, this.take('feedback'))
    ).inserted;
    await this.flushOutcomes();
    this.buffered = 0;
  }

  private take<T>(entity: EntityName): T[] {
    return (this.other.get(entity)?.splice(0) ?? []) as T[];
  }

  private async flushOutcomes(): Promise<void> {
    const pending = this.outcomes.splice(0);
    if (pending.length === 0) return;
    const { resolved, unresolved } = await resolveOutcomes(this.store, pending);
    this.counts.entities.termOutcome += await ingest.setTermOutcomes(this.store, resolved);
    for (const outcome of unresolved) {
      this.rejections.push({
        file: this.file,
        line: outcome.line,
        column: outcome.column,
        reason: outcome.reason,
      });
    }
  }

  /** Writes what is left, rollups included, and numbers the terms of contracts without one. */
  async finish(): Promise<void> {
    await this.flush();
    await this.usage.flush();
    if (this.unnumbered.size > 0) await ingest.renumberTerms(this.store, [...this.unnumbered]);
  }
}
