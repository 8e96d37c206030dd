import type { MergeCounts } from '../store/ingest-merge';
import type { EntityName } from './mapping-schema';
import type { Rejection } from './writer';
import { emptyCounts } from './writer';

/** Result of one source file. */
export interface FileReport {
  file: string;
  /** "failed" when the file could not be parsed or lacks a mapped column; nothing of it is stored. */
  status: 'loaded' | 'failed';
  /** Data rows read (header excluded). */
  rows: number;
  rejected: number;
  error?: string;
}

/** The outcome of an import run. */
export interface ImportReport {
  /** Rows read per entity, re-sent usage events and unchanged rows included. */
  entities: Record<EntityName, number>;
  /** Rows inserted, updated and left unchanged, per entity that is merged with stored rows. */
  changes: Partial<Record<EntityName, MergeCounts>>;
  eventsInserted: number;
  /** Usage events whose id was already stored; a repeated import reports all events here. */
  eventsDuplicate: number;
  rejected: number;
  /** The first rejections, in file order. */
  rejections: Rejection[];
  files: FileReport[];
}

/** Creates a report with nothing counted. */
export function emptyReport(): ImportReport {
  const counts = emptyCounts();
  return {
    entities: counts.entities,
    changes: counts.changes,
    eventsInserted: 0,
    eventsDuplicate: 0,
    rejected: 0,
    rejections: [],
    files: [],
  };
}

/** Builds the `--json` summary: accounts, users, events and rejected first, then the details. */
export function summarizeReport(report: ImportReport): Record<string, unknown> {
  return {
    accounts: report.entities.account,
    users: report.entities.user,
    events: report.eventsInserted,
    duplicateEvents: report.eventsDuplicate,
    rejected: report.rejected,
    failedFiles: report.files.filter((file) => file.status === 'failed').length,
    entities: report.entities,
    changes: report.changes,
    files: report.files,
    rejections: report.rejections,
  };
}

/** Adds the inserted, updated and unchanged counts of one file to the run's. */
export function addChanges(
  total: ImportReport['changes'],
  file: Partial<Record<EntityName, MergeCounts>>,
): void {
  for (const [entity, counts] of Object.entries(file)) {
    const sum = total[entity as EntityName];
    if (sum === undefined) {
      total[entity as EntityName] = { ...counts };
      continue;
    }
    sum.inserted += counts.inserted;
    sum.updated += counts.updated;
    sum.unchanged += counts.unchanged;
  }
}
