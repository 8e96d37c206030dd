import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTemplates } from '../../src/templates/load-templates';
import { checkTemplatesRender } from '../../src/templates/sample-check';

const cli = resolve(__dirname, '../../bin/uptake.js');
const shipped = resolve(__dirname, '../../templates');

/** Copies the shipped templates and replaces line 2 of the activity-falling task. */
function copyWithTaskLine(line: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'uptake-templates-')), 'templates');
  cpSync(shipped, dir, { recursive: true });
  const file = join(dir, 'task', 'activity-falling.hbs');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[1] = line;
  writeFileSync(file, lines.join('\n'));
  return dir;
}

function check(
  dir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const args = dir === undefined ? [] : [dir];
  const result = spawnSync(process.execPath, [cli, 'templates', 'check', ...args], {
    encoding: 'utf8',
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('checkTemplatesRender', () => {
  it('passes the shipped templates', () => {
    expect(checkTemplatesRender(loadTemplates(shipped))).toEqual([]);
  });

  it('reports a misspelled variable', () => {
    const problems = checkTemplatesRender(loadTemplates(copyWithTaskLine('Hi {{account.nme}}')));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe(join('task', 'activity-falling.hbs'));
    expect(problems[0]?.line).toBe(2);
    expect(problems[0]?.message).toContain('{{account.nme}} at line 2 has no value');
  });
});

describe('templates check command', () => {
  it('exits 1 on a misspelled variable', () => {
    const dir = copyWithTaskLine('Hi {{account.nme}}');
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'task', 'activity-falling.hbs')}:2:`);
  });

  it('exits 1 on a folder without templates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-no-templates-'));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`No templates found in ${dir}`);
  });

  it('reads UPTAKE_TEMPLATES_DIR without an argument', () => {
    const dir = copyWithTaskLine('Hi {{account.nme}}');
    const result = check(undefined, { ...process.env, UPTAKE_TEMPLATES_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'task', 'activity-falling.hbs')}:2:`);
  });
});
