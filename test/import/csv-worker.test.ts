import { statSync } from 'node:fs';
import { join } from 'node:path';
import { accountsCsv, countRows, run, setUp } from './fixtures';

const eventsHeader = 'id,account,feature,at,clicks\n';

// 5,000 rows of about 40 bytes span several 64 KiB chunks, so several batches and acknowledgements
// pass between the threads.
function eventLines(count: number, badLines: ReadonlySet<number> = new Set()): string {
  const lines: string[] = [];
  for (let line = 2; line < count + 2; line += 1) {
    const at = badLines.has(line) ? '2024-02-30' : '2024-03-01T10:00:00.000Z';
    lines.push(`e${line},a1,reports,${at},1`);
  }
  return `${eventsHeader}${lines.join('\n')}\n`;
}

describe('CSV parsed in a worker thread', () => {
  it('names the lines of rejected rows', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': eventLines(5_000, new Set([3, 2_500, 4_999])),
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv', { parseInWorker: true });
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections.map((rejection) => rejection.line)).toEqual([3, 2_500, 4_999]);
    expect(report.rejections.every((rejection) => rejection.column === 'at')).toBe(true);
    expect(report.files[0]?.rows).toBe(5_000);
    expect(events).toBe(4_997);
  });

  it('stores nothing of a file that fails late', async () => {
    const broken = `${eventLines(5_000)}e9,a1,"reports,2024-03-01,1\n`;
    const { folder, store } = await setUp({ 'accounts.csv': accountsCsv, 'events.csv': broken });
    await run(store, folder, 'accounts.csv');
    // Batches of 1,000 rows are written before the parser reaches the broken last line.
    const inWorker = await run(store, folder, 'events.csv', {
      parseInWorker: true,
      batchSize: 1_000,
    });
    const inThread = await run(store, folder, 'events.csv', {
      parseInWorker: false,
      batchSize: 1_000,
    });
    const events = await countRows(store, 'usage_events');
    const rollups = await countRows(store, 'usage_daily');
    await store.close();

    expect(inWorker.files[0]?.status).toBe('failed');
    expect(inWorker.files[0]?.error).toMatch(/events\.csv:5002: cannot be parsed/);
    expect(inWorker.files[0]?.error).toBe(inThread.files[0]?.error);
    expect(events).toBe(0);
    expect(rollups).toBe(0);
  });

  it('adds nothing on re-import', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': eventLines(5_000),
    });
    await run(store, folder, 'accounts.csv');
    const first = await run(store, folder, 'events.csv', { parseInWorker: true });
    const dailyBefore = await store.db.selectFrom('usage_daily').selectAll().execute();
    const again = await run(store, folder, 'events.csv', { parseInWorker: true });
    const dailyAfter = await store.db.selectFrom('usage_daily').selectAll().execute();
    await store.close();

    expect(first.eventsInserted).toBe(5_000);
    expect(again.eventsInserted).toBe(0);
    expect(again.eventsDuplicate).toBe(5_000);
    expect(dailyAfter).toEqual(dailyBefore);
  });

  it('reports progress up to the file size', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': eventLines(5_000),
    });
    await run(store, folder, 'accounts.csv');
    const seen: number[] = [];
    await run(store, folder, 'events.csv', {
      parseInWorker: true,
      onProgress: (progress) => seen.push(progress.bytes),
    });
    await store.close();

    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(statSync(join(folder, 'events.csv')).size);
  });
});
