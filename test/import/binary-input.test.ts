import { escapeParserMessage, quoteValue } from '../../src/import/quote';
import { accountsCsv, run, setUp } from './fixtures';

const eventsHeader = 'id,account,feature,at,clicks\n';
const terminalEscape = '\u001b[2J\u001b]0;title\u0007';

function hasControlCharacter(text: string): boolean {
  return Array.from(text).some((character) => character.charCodeAt(0) < 0x20);
}

describe('values quoted in messages', () => {
  it('control characters are escaped', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,a1,reports,${terminalEscape}\u0000,1\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    await store.close();
    const reason = report.rejections[0]?.reason ?? '';

    expect(reason).toMatch(/invalid date "\\x1b\[2J\\x1b\]0;title\\x07\\x00"/);
    expect(hasControlCharacter(reason)).toBe(false);
  });

  it('long values are cut', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,${'z'.repeat(5000)},reports,2024-03-01,1\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    await store.close();

    expect(report.rejections[0]?.reason).toBe(
      `unknown account "${'z'.repeat(80)}..." (5000 characters)`,
    );
  });

  // Node 20 leaves the offending byte out of JSON.parse's message, later versions quote it.
  it('binary NDJSON line', async () => {
    const binary = Buffer.from([0x7b, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x00, 0x07, 0x0a]);
    const { folder, store } = await setUp({ 'events.ndjson': binary });
    const report = await run(store, folder, 'events.ndjson');
    await store.close();
    const error = report.files[0]?.error ?? '';

    expect(report.files[0]?.status).toBe('failed');
    expect(error).toMatch(/events\.ndjson:1: cannot be parsed: invalid JSON/);
    expect(hasControlCharacter(error)).toBe(false);
  });

  it('quotes, backslashes and emoji', () => {
    expect(quoteValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteValue('\u{1F600}'.repeat(81))).toBe(
      `"${'\u{1F600}'.repeat(80)}..." (162 characters)`,
    );
    expect(quoteValue('\u2028\uFEFF')).toBe('"\\u2028\\ufeff"');
  });

  it('parser messages are escaped and cut', () => {
    expect(escapeParserMessage('token \u001b[31m')).toBe('token \\x1b[31m');
    expect(escapeParserMessage('x'.repeat(400))).toBe(`${'x'.repeat(300)}...`);
  });
});
