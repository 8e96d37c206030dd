import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '../../bin/uptake.js');
const shippedRules = resolve(__dirname, '../../rules');
const shippedTemplates = resolve(__dirname, '../../templates');

function validate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'rules', 'validate', ...args], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copyRules(): string {
  const root = mkdtempSync(join(tmpdir(), 'uptake-rules-'));
  cpSync(shippedRules, join(root, 'rules'), { recursive: true });
  return root;
}

describe('rules validate templates folder', () => {
  it('reports a missing folder once', () => {
    const root = copyRules();
    const result = validate(join(root, 'rules'));
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      `templates folder not found at ${join(root, 'templates')}; pass --templates <dir> with the folder that holds email/, notice/ and task/`,
    );
    expect(lines.slice(1)).toEqual(['1 error(s); the rule set was not loaded']);
  });

  it('names the absolute expected file', () => {
    const root = copyRules();
    mkdirSync(join(root, 'templates', 'task'), { recursive: true });
    const result = validate(join(root, 'rules'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `expected ${join(root, 'templates', 'task', 'activity-falling.hbs')}`,
    );
  });

  it('keeps other errors without templates', () => {
    const result = validate(resolve(__dirname, 'corpus', 'unknown-fact'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unknown fact 'activeDaysLast31'");
  });

  it('accepts --templates', () => {
    const root = copyRules();
    const result = validate(join(root, 'rules'), '--templates', shippedTemplates);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('are valid');
  });
});
