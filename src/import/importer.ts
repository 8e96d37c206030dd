import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Store } from '../store/database';
import { silentLogger, type Logger } from '../logger';
import type { CompileContext } from './expressions';
import { checkHeader } from './header-check';
import { ImportError } from './import-error';
import { loadLookups } from './load-lookups';
import type { FileMapping, Mapping } from './mapping-schema';
import { addChanges, emptyReport, type FileReport, type ImportReport } from './report';
import { compileEntities, mapRow } from './row-mapper';
import { readSource, SourceParseError } from './sources';
import { linkOutsideFolder } from './source-path';
import { checkedShiftDays } from './values';
import { FileWriter, type Rejection } from './writer';

export { ImportError } from './import-error';

/** Progress of the file being read, in bytes. */
export interface ImportProgress {
  file: string;
  bytes: number;
  totalBytes: number;
}

/**
 * CSV size from which a file is parsed in a worker thread by default. Starting the worker takes
 * tens of milliseconds, which a smaller file does not win back.
 */
export const parseWorkerMinBytes = 4 * 1024 * 1024;

/** Settings of one import run. */
export interface ImportOptions {
  /** Days added to every anchor date, e.g. to move old data so that today falls inside it. */
  shiftDays?: number;
  /** Buffered rows per batch write (default 10,000). */
  batchSize?: number;
  /** Instant used for created_at/updated_at where the source has none (default: now). */
  now?: number;
  /** Maximum bytes of one CSV record or NDJSON line; a larger one fails its file (default 1 MiB). */
  maxRecordBytes?: number;
  /** Rejections listed in the report; every rejection is counted (default 100). */
  maxListedRejections?: number;
  /**
   * Parses CSV in a worker thread while this thread maps and writes the rows (default: for
   * files of `parseWorkerMinBytes` or more).
   */
  parseInWorker?: boolean;
  logger?: Logger;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Imports a source file, or every file a mapping names in a folder, into the store. Each
 * file runs in its own transaction: rejected rows are listed and skipped, and a file that
 * cannot be parsed leaves the store as it was.
 */
export async function importPath(
  store: Store,
  target: string,
  mapping: Mapping,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const { folder, entries } = selectEntries(resolve(target), mapping);
  const logger = options.logger ?? silentLogger;
  const lookups = await loadLookups(folder, mapping);
  const context: CompileContext = {
    anchors: mapping.anchors,
    lookups,
    shiftDays: checkedShiftDays(options.shiftDays),
  };
  const knownAccounts = new Set(
    (await store.db.selectFrom('accounts').select('id').execute()).map((row) => row.id),
  );

  const report = emptyReport();
  const mappingIndex = new Map(mapping.files.map((file, index) => [file, index]));
  for (const entry of entries) {
    const path = join(folder, entry.file);
    const fileLogger = logger.child({ file: entry.file });
    fileLogger.info('import started');
    const fileReport = await importFile(store, path, entry, mappingIndex.get(entry)!, {
      folder,
      context,
      knownAccounts,
      options,
      report,
    });
    report.files.push(fileReport);
    fileLogger.info({ ...fileReport }, 'import finished');
  }
  return report;
}

/** Selects the mapping entries to run: all of them for a folder, the matching one for a file. */
function selectEntries(
  target: string,
  mapping: Mapping,
): { folder: string; entries: FileMapping[] } {
  if (!existsSync(target)) throw new ImportError(`${target}: file or folder not found`);
  if (statSync(target).isDirectory()) return { folder: target, entries: mapping.files };

  const name = basename(target);
  const entries = mapping.files.filter((file) => basename(file.file) === name);
  if (entries.length === 0) {
    const known = mapping.files.map((file) => file.file).join(', ');
    throw new ImportError(`${target}: the mapping has no entry for "${name}"; it maps ${known}`);
  }
  return { folder: dirname(target), entries };
}

interface FileRun {
  /** The import folder; every file read must stay inside it. */
  folder: string;
  context: CompileContext;
  knownAccounts: Set<string>;
  options: ImportOptions;
  report: ImportReport;
}

async function importFile(
  store: Store,
  path: string,
  entry: FileMapping,
  entryIndex: number,
  run: FileRun,
): Promise<FileReport> {
  const fileReport: FileReport = { file: entry.file, status: 'loaded', rows: 0, rejected: 0 };
  const outside = linkOutsideFolder(run.folder, entry.file);
  if (outside) return { ...fileReport, status: 'failed', error: outside };
  if (!existsSync(path)) {
    return { ...fileReport, status: 'failed', error: `${path}: file not found` };
  }
  try {
    const writer = await loadFile(store, path, entry, entryIndex, run, fileReport);
    for (const id of writer.newAccounts) run.knownAccounts.add(id);
    addCounts(run.report, writer, run.options.maxListedRejections ?? 100);
    fileReport.rejected += writer.rejections.length;
    return fileReport;
  } catch (error) {
    if (!(error instanceof SourceParseError)) throw error;
    return { ...fileReport, status: 'failed', rejected: 0, error: error.message };
  }
}

/** Streams one file into the store inside a transaction, rolled back if parsing fails. */
async function loadFile(
  store: Store,
  path: string,
  entry: FileMapping,
  entryIndex: number,
  run: FileRun,
  fileReport: FileReport,
): Promise<FileWriter> {
  const format = entry.format ?? (/\.(nd)?jsonl?$/i.test(path) ? 'ndjson' : 'csv');
  const entities = compileEntities(entry.entities, run.context);
  const totalBytes = statSync(path).size;
  const { maxRecordBytes, parseInWorker } = run.options;
  const source = readSource(
    path,
    format,
    (bytes) => run.options.onProgress?.({ file: entry.file, bytes, totalBytes }),
    { maxRecordBytes, csvInWorker: parseInWorker ?? totalBytes >= parseWorkerMinBytes },
  );
  const now = run.options.now ?? Date.now();
  const batchSize = run.options.batchSize ?? 10_000;

  return store.db.transaction().execute(async (trx) => {
    const writer = new FileWriter(
      { ...store, db: trx },
      basename(path),
      run.knownAccounts,
      now,
      batchSize,
    );
    let headerChecked = false;
    for await (const row of source.rows) {
      if (!headerChecked) {
        checkHeader(path, source.header(), entry, entryIndex, format);
        headerChecked = true;
      }
      fileReport.rows += 1;
      const rejection = row.problem ?? mapAndAdd(row, entities, run.context, writer);
      if (rejection) writer.rejections.push({ file: basename(path), line: row.line, ...rejection });
      if (writer.full) await writer.flush();
    }
    if (!headerChecked) checkHeader(path, source.header(), entry, entryIndex, format);
    await writer.finish();
    return writer;
  });
}

function mapAndAdd(
  row: Parameters<typeof mapRow>[0] & { line: number },
  entities: ReturnType<typeof compileEntities>,
  context: CompileContext,
  writer: FileWriter,
): Omit<Rejection, 'file' | 'line'> | undefined {
  const records = mapRow(row, entities, context);
  if (!Array.isArray(records)) return records;
  return writer.add(row.line, records);
}

function addCounts(report: ImportReport, writer: FileWriter, maxListed: number): void {
  for (const [entity, count] of Object.entries(writer.counts.entities)) {
    report.entities[entity as keyof typeof report.entities] += count;
  }
  addChanges(report.changes, writer.counts.changes);
  report.eventsInserted += writer.counts.eventsInserted;
  report.eventsDuplicate += writer.counts.eventsDuplicate;
  report.rejected += writer.rejections.length;
  const room = Math.max(0, maxListed - report.rejections.length);
  report.rejections.push(...writer.rejections.slice(0, room));
}
