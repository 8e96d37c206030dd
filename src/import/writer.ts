import type { Store } from '../store/database';
import * as ingest from '../store/ingest';
import { emptyMergeCounts, mergeImported, type MergeCounts } from '../store/ingest-merge';
import { entityNames, type EntityName } from './mapping-schema';
import { mergeSpecs } from './merge-specs';
import { quoteValue } from './quote';
import type { EntityRecord, RowRejection } from './row-mapper';
import { RowBatch, type PendingRow } from './row-batch';

/** A rejected source row. */
export interface Rejection {
  file: string;
  line: number;
  /** Source column at fault; for a value computed from no single column, the mapping's field. */
  column: string;
  reason: string;
}

/** Rows written per entity, and what insertUsageEvents reported. */
export interface WriteCounts {
  entities: Record<EntityName, number>;
  /** Inserted, updated and unchanged rows of the entities merged with stored rows. */
  changes: Partial<Record<EntityName, MergeCounts>>;
  eventsInserted: number;
  eventsDuplicate: number;
}

/** Creates zeroed counts. */
export function emptyCounts(): WriteCounts {
  const entities = {} as Record<EntityName, number>;
  for (const name of entityNames) entities[name] = 0;
  const changes: WriteCounts['changes'] = {};
  for (const name of mergedEntities) changes[name] = emptyMergeCounts();
  return { entities, changes, eventsInserted: 0, eventsDuplicate: 0 };
}

const mergedEntities = [
  'account',
  'user',
  'contract',
  'feature',
  'milestone',
  'goal',
  'ticket',
] as const;

// Entities that represent one source record each, so one id twice in a file contradicts itself.
// Accounts, users and features are left out: a file of events may name them on every row.
const uniqueIdEntities = new Set<EntityName>(['contract', 'ticket', 'feedback']);

/**
 * Buffers the entities of one source file and writes them in batches. A source row is stored
 * whole or not at all: when any of its entities is rejected at write time (for example an outcome whose
 * contract is unknown), none of them is written. `store` is normally bound to the file's
 * transaction.
 */
export class FileWriter {
  readonly counts = emptyCounts();
  readonly rejections: Rejection[] = [];
  /** Accounts this file added, merged into the known set only when the file commits. */
  readonly newAccounts = new Set<string>();
  private pending: PendingRow[] = [];
  /** Entities of the pending rows; a batch is sized in entities, as one row may yield many. */
  private buffered = 0;
  /** Accounts added by buffered rows, which later rows of the file may refer to. */
  private readonly pendingAccounts = new Set<string>();
  private readonly firstLines = new Map<string, number>();
  private readonly unnumbered = new Set<string>();
  private readonly usage: ingest.UsageWriter;
  private readonly specs: ReturnType<typeof mergeSpecs>;

  constructor(
    private readonly store: Store,
    private readonly file: string,
    private readonly knownAccounts: ReadonlySet<string>,
    now: number,
    private readonly batchSize: number,
  ) {
    this.usage = new ingest.UsageWriter(store);
    this.specs = mergeSpecs(now);
  }

  /**
   * Checks a mapped row against the accounts known so far and against ids earlier in the file,
   * and buffers its entities. The caller writes them with flush() once `full` is true.
   */
  add(line: number, records: readonly EntityRecord[]): RowRejection | undefined {
    const rejection = this.unknownAccount(records) ?? this.repeatedId(records);
    if (rejection) return rejection;
    for (const record of records) {
      if (record.entity === 'account') this.pendingAccounts.add(String(record.fields.id));
      if (uniqueIdEntities.has(record.entity)) {
        this.firstLines.set(`${record.entity}\u0000${String(record.fields.id)}`, line);
      }
    }
    this.pending.push({ line, records });
    this.buffered += records.length;
    return undefined;
  }

  private unknownAccount(records: readonly EntityRecord[]): RowRejection | undefined {
    for (const record of records) {
      const accountId = record.fields.accountId;
      if (record.entity === 'account' || accountId === undefined || accountId === null) continue;
      const id = String(accountId);
      if (!this.isKnown(id) && !addsAccount(records, id)) {
        return {
          column: columnOf(record, 'accountId'),
          reason: `unknown account ${quoteValue(id)}`,
        };
      }
    }
    return undefined;
  }

  private repeatedId(records: readonly EntityRecord[]): RowRejection | undefined {
    for (const record of records) {
      if (!uniqueIdEntities.has(record.entity)) continue;
      const id = String(record.fields.id);
      const first = this.firstLines.get(`${record.entity}\u0000${id}`);
      if (first === undefined) continue;
      return {
        column: columnOf(record, 'id'),
        reason: `${record.entity}.id: duplicate id ${quoteValue(id)}, first on line ${first}; keep one row per id`,
      };
    }
    return undefined;
  }

  /** Whether the buffered rows have reached the batch size. */
  get full(): boolean {
    return this.buffered >= this.batchSize;
  }

  private isKnown(id: string): boolean {
    return this.knownAccounts.has(id) || this.newAccounts.has(id) || this.pendingAccounts.has(id);
  }

  /** Writes every buffered row whose entities can all be written, referenced entities first. */
  async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    this.buffered = 0;
    this.pendingAccounts.clear();
    const batch = new RowBatch(this.store, this.file, rows, (id) => this.storedAccount(id));
    await batch.settle();
    for (const rejection of batch.rejections) this.rejections.push(rejection);
    await this.write(batch);
  }

  private storedAccount(id: string): boolean {
    return this.knownAccounts.has(id) || this.newAccounts.has(id);
  }

  private async write(batch: RowBatch): Promise<void> {
    const { store, counts, specs } = this;
    const tables = batch.tables();
    for (const id of tables.accountIds) this.newAccounts.add(id);
    for (const id of tables.unnumbered) this.unnumbered.add(id);
    await this.merge('account', specs.accounts, tables.accounts);
    await this.merge('user', specs.users, tables.users);
    await this.merge('contract', specs.contracts, tables.contracts);
    await this.merge('feature', specs.features, tables.features);
    const result = await this.usage.insert(tables.events);
    counts.entities.usageEvent += result.inserted + result.duplicates;
    counts.eventsInserted += result.inserted;
    counts.eventsDuplicate += result.duplicates;
    await this.merge('milestone', specs.milestones, tables.milestones);
    counts.entities.milestoneCompletion += await ingest.completeMilestones(
      store,
      tables.completions,
    );
    await this.merge('goal', specs.goals, tables.goals);
    await this.merge('ticket', specs.tickets, tables.tickets);
    counts.entities.feedback += (await ingest.insertFeedback(store, tables.feedback)).inserted;
    counts.entities.termOutcome += await ingest.setTermOutcomes(store, batch.outcomes);
  }

  private async merge(
    entity: (typeof mergedEntities)[number],
    spec: Parameters<typeof mergeImported>[1],
    rows: Parameters<typeof mergeImported>[2],
  ): Promise<void> {
    const result = await mergeImported(this.store, spec, rows);
    const total = this.counts.changes[entity]!;
    total.inserted += result.inserted;
    total.updated += result.updated;
    total.unchanged += result.unchanged;
    this.counts.entities[entity] += result.inserted + result.updated + result.unchanged;
  }

  /** Writes what is left, rollups included, and numbers the terms of contracts without one. */
  async finish(): Promise<void> {
    await this.flush();
    await this.usage.flush();
    if (this.unnumbered.size > 0) await ingest.renumberTerms(this.store, [...this.unnumbered]);
    this.rejections.sort((a, b) => a.line - b.line);
  }
}

/** Checks whether the row's own entities create the account `id`. */
function addsAccount(records: readonly EntityRecord[], id: string): boolean {
  return records.some((record) => record.entity === 'account' && String(record.fields.id) === id);
}

/** Returns the source column of a field, or the mapping's field when it reads no single column. */
function columnOf(record: EntityRecord, field: string): string {
  return record.columns[field] ?? `${record.entity}.${field}`;
}
