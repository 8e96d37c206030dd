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
  /** Rows written per entity, re-sent usage events included. */
  entities: Record<EntityName, number>;
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
    files: report.files,
    rejections: report.rejections,
  };
}
