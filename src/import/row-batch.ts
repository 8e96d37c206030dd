import type { Store } from '../store/database';
import type { MilestoneCompletion, NewFeedback, TermOutcomeUpdate } from '../store/ingest';
import type { PartialRow } from '../store/ingest-merge';
import type { NewUsageEvent } from '../store/schema';
import type { EntityName } from './mapping-schema';
import { resolveOutcomes, type ContractTerm } from './outcomes';
import { quoteValue } from './quote';
import type { EntityRecord } from './row-mapper';
import * as rows from './store-rows';
import type { Rejection } from './writer';

/** A source row that passed the per-row checks, waiting to be written with its batch. */
export interface PendingRow {
  line: number;
  records: readonly EntityRecord[];
}

/** The store rows of a batch, per table. */
export interface BatchTables {
  accounts: PartialRow[];
  users: PartialRow[];
  contracts: PartialRow[];
  features: PartialRow[];
  events: NewUsageEvent[];
  milestones: PartialRow[];
  completions: MilestoneCompletion[];
  goals: PartialRow[];
  tickets: PartialRow[];
  feedback: NewFeedback[];
  /** Accounts the batch adds, and accounts with contracts that lack a term number. */
  accountIds: string[];
  unnumbered: string[];
}

/**
 * The rows of one write batch. settle() drops every row with an entity that cannot be written,
 * so that a row is stored whole or not at all. Such an entity is a term outcome with no matching
 * contract, or a reference to an account that only a dropped row adds.
 */
export class RowBatch {
  readonly rejections: Rejection[] = [];
  /** Term outcomes of the kept rows, matched to their contracts. */
  outcomes: TermOutcomeUpdate[] = [];
  private writable: PendingRow[];

  constructor(
    private readonly store: Store,
    private readonly file: string,
    rows: PendingRow[],
    private readonly isStoredAccount: (id: string) => boolean,
  ) {
    this.writable = rows;
  }

  /** Drops rows until every kept row can be written; each drop may orphan other rows. */
  async settle(): Promise<void> {
    for (;;) {
      const dropped = new Map<
        PendingRow,
        { record: EntityRecord; reason: string; column?: string }
      >();
      await this.checkOutcomes(dropped);
      this.checkAccounts(dropped);
      if (dropped.size === 0) return;
      for (const [row, { record, reason, column }] of dropped) {
        this.rejections.push({
          file: this.file,
          line: row.line,
          column: column ?? firstColumn(row),
          reason: `${record.entity}: ${reason}; no entity of this row is stored`,
        });
      }
      this.writable = this.writable.filter((row) => !dropped.has(row));
    }
  }

  private async checkOutcomes(
    dropped: Map<PendingRow, { record: EntityRecord; reason: string; column?: string }>,
  ): Promise<void> {
    const owners: [PendingRow, EntityRecord][] = [];
    const pending: rows.PendingOutcome[] = [];
    const unwritten: ContractTerm[] = [];
    for (const row of this.writable) {
      for (const record of row.records) {
        if (record.entity === 'contract') unwritten.push(contractTerm(record));
        if (record.entity !== 'termOutcome') continue;
        owners.push([row, record]);
        pending.push(rows.toPendingOutcome(record.fields, pending.length, record.columns.at));
      }
    }
    if (pending.length === 0) return;
    const { resolved, unresolved } = await resolveOutcomes(this.store, pending, unwritten);
    this.outcomes = resolved;
    for (const outcome of unresolved) {
      // The line field carries the outcome's position in `pending`, to find its row.
      const [row, record] = owners[outcome.line]!;
      dropped.set(row, { record, reason: outcome.reason, column: outcome.column });
    }
  }

  private checkAccounts(
    dropped: Map<PendingRow, { record: EntityRecord; reason: string; column?: string }>,
  ): void {
    const added = new Set<string>();
    for (const row of this.writable) {
      if (dropped.has(row)) continue;
      for (const record of row.records) {
        if (record.entity === 'account') added.add(String(record.fields.id));
      }
    }
    for (const row of this.writable) {
      if (dropped.has(row)) continue;
      for (const record of row.records) {
        const id = record.fields.accountId;
        if (record.entity === 'account' || id === undefined || id === null) continue;
        if (added.has(String(id)) || this.isStoredAccount(String(id))) continue;
        const reason = `unknown account ${quoteValue(String(id))}: the row that adds it was rejected`;
        dropped.set(row, { record, reason, column: record.columns.accountId });
        break;
      }
    }
  }

  /** Converts the kept rows to store rows, per table. */
  tables(): BatchTables {
    const tables: BatchTables = {
      accounts: [],
      users: [],
      contracts: [],
      features: [],
      events: [],
      milestones: [],
      completions: [],
      goals: [],
      tickets: [],
      feedback: [],
      accountIds: [],
      unnumbered: [],
    };
    for (const row of this.writable) {
      for (const record of row.records) addRecord(tables, this.file, row.line, record);
    }
    return tables;
  }
}

function contractTerm(record: EntityRecord): ContractTerm {
  return {
    id: String(record.fields.id),
    account_id: String(record.fields.accountId),
    start_at: Number(record.fields.startAt),
  };
}

function firstColumn(row: PendingRow): string {
  for (const record of row.records) {
    const column = Object.values(record.columns).find((name) => name !== undefined);
    if (column !== undefined) return column;
  }
  return '1';
}

const partialConverters: Partial<
  Record<EntityName, [keyof BatchTables, (fields: EntityRecord['fields']) => PartialRow]>
> = {
  user: ['users', rows.toUser],
  feature: ['features', rows.toFeature],
  milestone: ['milestones', rows.toMilestone],
  goal: ['goals', rows.toGoal],
  ticket: ['tickets', rows.toTicket],
};

function addRecord(tables: BatchTables, file: string, line: number, record: EntityRecord): void {
  const { fields } = record;
  switch (record.entity) {
    case 'account':
      tables.accounts.push(rows.toAccount(fields));
      tables.accountIds.push(String(fields.id));
      return;
    case 'contract':
      tables.contracts.push(rows.toContract(fields));
      if (fields.termNumber === undefined || fields.termNumber === null) {
        tables.unnumbered.push(String(fields.accountId));
      }
      return;
    case 'usageEvent':
      tables.events.push(rows.toUsageEvent(fields, eventId(file, line, record)));
      return;
    case 'milestoneCompletion':
      tables.completions.push(rows.toCompletion(fields));
      return;
    case 'feedback':
      tables.feedback.push(rows.toFeedback(fields));
      return;
    case 'termOutcome':
      return;
    default: {
      const [table, convert] = partialConverters[record.entity]!;
      (tables[table] as PartialRow[]).push(convert(fields));
    }
  }
}

/** `<file name>:<eventKey or line>`, plus the join position for one-to-many joins. */
function eventId(file: string, line: number, record: EntityRecord): string {
  const key = record.fields.eventKey ?? line;
  const suffix = record.expansion > 0 ? `#${record.expansion}` : '';
  return `${file}:${String(key)}${suffix}`;
}
