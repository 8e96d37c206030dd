import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleError } from '../../src/rules/errors';
import type { RuleSet } from '../../src/rules/types';
import { RuleSetWatcher } from '../../src/rules/watcher';
import pino from 'pino';

const rule = (value: number) =>
  JSON.stringify({
    id: 'falling',
    description: 'Usage is falling.',
    actions: [{ type: 'task', params: { title: 'Check in' } }],
    conditions: { all: [{ fact: 'usageTrend', operator: 'lessThan', value }] },
  });

function nextEvent<T>(watcher: RuleSetWatcher, name: 'reload' | 'invalid'): Promise<T> {
  return new Promise((resolve) => watcher.once(name, resolve));
}

describe('RuleSetWatcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-rules-'));
  writeFileSync(join(dir, 'falling.json'), rule(0.6));
  const watcher = new RuleSetWatcher(dir, { templateExists: () => true, debounceMs: 50 });

  afterAll(() => watcher.stop());

  it('loads the folder on start', () => {
    expect(watcher.start().ok).toBe(true);
  });

  it('reloads a changed file', async () => {
    const before = watcher.current?.version;
    const reloaded = nextEvent<RuleSet>(watcher, 'reload');
    writeFileSync(join(dir, 'falling.json'), rule(0.5));
    const ruleSet = await reloaded;
    expect(ruleSet.version).not.toBe(before);
    expect(watcher.current?.version).toBe(ruleSet.version);
  });

  it('keeps the last valid set on a bad change', async () => {
    const before = watcher.current?.version;
    const rejected = nextEvent<RuleError[]>(watcher, 'invalid');
    writeFileSync(join(dir, 'falling.json'), '{ "id": ');
    const errors = await rejected;
    expect(errors[0]?.message).toMatch(/invalid JSON/);
    expect(watcher.current?.version).toBe(before);
  });

  it('recovers when the file is fixed', async () => {
    const reloaded = nextEvent<RuleSet>(watcher, 'reload');
    writeFileSync(join(dir, 'falling.json'), rule(0.4));
    const ruleSet = await reloaded;
    expect(ruleSet.rules[0]?.definition.conditions).toEqual({
      all: [{ fact: 'usageTrend', operator: 'lessThan', value: 0.4 }],
    });
  });

  it('reuses an unchanged set', () => {
    const before = watcher.current;
    const load = watcher.reload();
    expect(load.ok).toBe(true);
    expect(load.ok ? load.ruleSet : undefined).toBe(before);
  });

  it('reports an unchanged invalid folder once', () => {
    const other = new RuleSetWatcher(mkdtempSync(join(tmpdir(), 'uptake-rules-')), {
      templateExists: () => true,
    });
    writeFileSync(join(other.dir, 'broken.json'), '{');
    const reports: RuleError[][] = [];
    other.on('invalid', (errors: RuleError[]) => reports.push(errors));
    other.reload();
    other.reload();
    expect(reports).toHaveLength(1);
    expect(other.current).toBeUndefined();
  });

  it('logs a fix back to the set in force', () => {
    const lines: { msg?: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const other = new RuleSetWatcher(mkdtempSync(join(tmpdir(), 'uptake-rules-')), {
      templateExists: () => true,
      logger,
    });
    writeFileSync(join(other.dir, 'falling.json'), rule(0.6));
    other.reload();
    writeFileSync(join(other.dir, 'falling.json'), '{ "id": ');
    other.reload();
    writeFileSync(join(other.dir, 'falling.json'), rule(0.6));
    other.reload();

    expect(lines.map((line) => line.msg)).toEqual([
      'rule set loaded',
      'rule set rejected; keeping the last valid one',
      'rule set valid again; the set in force is unchanged',
    ]);
  });

  it('rechecks unchanged files after a template change', () => {
    const lines: { msg?: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    let templatePresent = true;
    const other = new RuleSetWatcher(mkdtempSync(join(tmpdir(), 'uptake-rules-')), {
      templateExists: () => templatePresent,
      logger,
    });
    const emailRule = JSON.parse(rule(0.6)) as Record<string, unknown>;
    emailRule.actions = [{ type: 'email', template: 'falling-usage' }];
    writeFileSync(join(other.dir, 'falling.json'), JSON.stringify(emailRule));
    other.reload();
    templatePresent = false;
    other.reload({ recheck: true });
    other.reload();
    templatePresent = true;
    other.reload({ recheck: true });

    expect(lines.map((line) => line.msg)).toEqual([
      'rule set loaded',
      'rule set rejected; keeping the last valid one',
      'rule set valid again; the set in force is unchanged',
    ]);
  });
});
