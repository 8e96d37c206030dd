import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { defaultStorePath } from '../../config';
import { importPath, type ImportProgress } from '../../import/importer';
import { loadMapping, MappingError } from '../../import/mapping';
import { summarizeReport, type ImportReport } from '../../import/report';
import { maxShiftDays } from '../../import/values';
import { openStore } from '../../store/database';

interface ImportCommandOptions {
  mapping: string;
  db?: string;
  json?: boolean;
  shiftDays?: string;
  maxRecordBytes?: string;
}

/** Registers `uptake import <file or folder> --mapping <file>`. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'Load CSV or NDJSON files into the store through a JSON mapping; rejected rows are listed with file, line, column and reason, and importing again adds nothing',
    )
    .argument('<path>', 'a source file, or a folder holding every file the mapping names')
    .requiredOption('--mapping <file>', 'JSON mapping from source columns to Uptake entities')
    .option('--db <path>', 'SQLite store file (default: UPTAKE_DB or .uptake/uptake.sqlite)')
    .option(
      '--shift-days <days>',
      `whole days added to every anchor date of the mapping, from -${maxShiftDays} to ${maxShiftDays} (about 100 years), e.g. to move old data so that today falls inside it`,
    )
    .option(
      '--max-record-bytes <bytes>',
      'maximum size of one CSV record or NDJSON line; a file with a larger one fails (default 1048576)',
    )
    .option('--json', 'print one JSON object with the counts and the first rejections')
    .addHelpText(
      'after',
      '\nExit code 1 when the mapping is invalid or a file could not be parsed (that file is left out whole).',
    )
    .action(async (path: string, options: ImportCommandOptions) => {
      let report: ImportReport;
      try {
        report = await runImport(path, options);
      } catch (error) {
        // A script reading --json output gets the failure on stdout too; main prints the text.
        if (options.json) console.log(JSON.stringify({ error: describeError(error) }));
        throw error;
      }
      console.log(options.json ? JSON.stringify(summarizeReport(report)) : formatReport(report));
      if (report.files.some((file) => file.status === 'failed')) process.exitCode = 1;
    });
}

/** Describes a failed run for --json: the error's kind, message and, for a mapping, each issue. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { kind: 'Error', message: String(error) };
  const described: Record<string, unknown> = { kind: error.name, message: error.message };
  if (error instanceof MappingError) {
    described.file = error.file;
    described.issues = error.issues;
  }
  return described;
}

async function runImport(path: string, options: ImportCommandOptions): Promise<ImportReport> {
  const shiftDays = parseShiftDays(options.shiftDays);
  const maxRecordBytes = parseMaxRecordBytes(options.maxRecordBytes);
  const mapping = loadMapping(options.mapping);
  const store = await openStore(options.db ?? defaultStorePath());
  const progress = process.stderr.isTTY ? createProgressBar() : undefined;
  try {
    return await importPath(store, path, mapping, {
      shiftDays,
      maxRecordBytes,
      onProgress: progress?.update,
    });
  } finally {
    progress?.stop();
    await store.close();
  }
}

function parseShiftDays(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^-?\d+$/.test(text) || Math.abs(Number(text)) > maxShiftDays) {
    throw new Error(
      `Invalid --shift-days value "${text}": expected a whole number of days from -${maxShiftDays} to ${maxShiftDays}, e.g. 4383.`,
    );
  }
  return Number(text);
}

function parseMaxRecordBytes(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new Error(
      `Invalid --max-record-bytes value "${text}": expected a whole number of bytes, e.g. 4194304.`,
    );
  }
  return Number(text);
}

/** Creates a progress bar on stderr, restarted for each file and sized in bytes. */
function createProgressBar(): { update: (progress: ImportProgress) => void; stop: () => void } {
  const bar = new SingleBar(
    { format: '{file} [{bar}] {percentage}% | {value}/{total} bytes', stream: process.stderr },
    Presets.shades_classic,
  );
  let current: string | undefined;
  return {
    update: (progress) => {
      if (progress.file !== current) {
        if (current !== undefined) bar.stop();
        current = progress.file;
        bar.start(progress.totalBytes, 0, { file: progress.file });
      }
      bar.update(progress.bytes, { file: progress.file });
    },
    stop: () => {
      if (current !== undefined) bar.stop();
    },
  };
}

/** Formats the report as plain text for a terminal. */
function formatReport(report: ImportReport): string {
  const lines = report.files.map((file) =>
    file.status === 'failed'
      ? `${file.file}: FAILED, nothing stored: ${file.error ?? ''}`
      : `${file.file}: ${file.rows} rows, ${file.rejected} rejected`,
  );
  const counts = Object.entries(report.entities)
    .filter(([, count]) => count > 0)
    .map(([entity, count]) => `${entity} ${count}`);
  lines.push(`rows read per entity, repeats included: ${counts.join(', ') || 'none'}`);
  const changes = Object.entries(report.changes)
    .filter(([, split]) => split.inserted + split.updated + split.unchanged > 0)
    .map(([entity, split]) => `${entity} ${split.inserted}/${split.updated}/${split.unchanged}`);
  lines.push(`new/updated/unchanged: ${changes.join(', ') || 'none'}`);
  lines.push(
    `usage events: ${report.eventsInserted} new, ${report.eventsDuplicate} already stored`,
  );
  lines.push(`rejected rows: ${report.rejected}`);
  for (const rejection of report.rejections.slice(0, 20)) {
    const column = rejection.column ? ` column ${rejection.column}` : '';
    lines.push(`  ${rejection.file}:${rejection.line}${column}: ${rejection.reason}`);
  }
  if (report.rejected > 20)
    lines.push(`  ... ${report.rejected - 20} more (use --json for the first 100)`);
  return lines.join('\n');
}
