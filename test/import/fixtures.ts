import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPath, type ImportOptions } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import type { ImportReport } from '../../src/import/report';
import { openStore, type Store } from '../../src/store/database';

/** A small mapping over accounts.csv, features.csv, events.csv and events.ndjson. */
export const testMapping = parseMapping({
  files: [
    {
      file: 'accounts.csv',
      entities: [{ entity: 'account', fields: { id: 'id', name: 'name', createdAt: 'created' } }],
    },
    {
      file: 'features.csv',
      entities: [{ entity: 'feature', fields: { key: 'key', isKey: 'key_feature' } }],
    },
    ...['events.csv', 'events.ndjson'].map((file) => ({
      file,
      entities: [
        {
          entity: 'usageEvent',
          fields: {
            eventKey: 'id',
            accountId: 'account',
            featureKey: 'feature',
            occurredAt: 'at',
            count: 'clicks',
          },
        },
      ],
    })),
  ],
});

/** Two valid accounts, for files that refer to them. */
export const accountsCsv = 'id,name,created\na1,Acme,2024-01-01\na2,Globex,2024-02-01\n';

/** Creates a temporary folder with the given files and opens a fresh store file in it. */
export async function setUp(
  files: Record<string, string | Buffer>,
): Promise<{ folder: string; store: Store }> {
  const folder = mkdtempSync(join(tmpdir(), 'uptake-import-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  const store = await openStore(join(folder, 'store.sqlite'));
  return { folder, store };
}

let parseInWorker: boolean | undefined;

/** Makes run() parse CSV in a worker thread (true), in the test's thread (false), or by size. */
export function setParseInWorker(value: boolean | undefined): void {
  parseInWorker = value;
}

/** Imports one file of the folder (or the whole folder) with the test mapping. */
export function run(
  store: Store,
  folder: string,
  file?: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const target = file ? join(folder, file) : folder;
  return importPath(store, target, testMapping, { now: 0, parseInWorker, ...options });
}

/** Counts the rows of a table. */
export async function countRows(
  store: Store,
  table: 'accounts' | 'features' | 'usage_events' | 'usage_daily' | 'contracts',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
