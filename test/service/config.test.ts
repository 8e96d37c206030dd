import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ServiceConfig } from '../../src/service/config';
import { ensureSecrets } from '../../src/service/secrets';

function expectConfig(env: NodeJS.ProcessEnv, file?: string): ServiceConfig {
  const load = loadConfig(env, file);
  if (!load.ok) throw new Error(load.errors.join('\n'));
  return load.config;
}

function expectErrors(env: NodeJS.ProcessEnv, file?: string): string[] {
  const load = loadConfig(env, file);
  if (load.ok) throw new Error('expected the configuration to be rejected');
  return load.errors;
}

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = expectConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(join(process.cwd(), '.uptake'));
    expect(config.dbPath).toBe(join(process.cwd(), '.uptake', 'uptake.sqlite'));
    expect(config.temporalAddress).toBeUndefined();
    expect(config.taskQueue).toBe('uptake');
    expect(config.metricsPublic).toBe(false);
  });

  it('reads the environment', () => {
    const config = expectConfig({
      PORT: '8080',
      UPTAKE_MAX_BATCH: '500',
      UPTAKE_METRICS_PUBLIC: 'true',
    });
    expect(config.port).toBe(8080);
    expect(config.maxBatchSize).toBe(500);
    expect(config.metricsPublic).toBe(true);
  });

  it('names a bad port and its expected form', () => {
    const errors = expectErrors({ PORT: 'eighty' });
    expect(errors).toEqual(['PORT="eighty" is invalid: expected an integer from 0 to 65535']);
  });

  it('rejects yes for UPTAKE_METRICS_PUBLIC', () => {
    const errors = expectErrors({ UPTAKE_METRICS_PUBLIC: 'yes' });
    expect(errors).toEqual([
      'UPTAKE_METRICS_PUBLIC="yes" is invalid: expected true or false (whether /metrics is readable without the token)',
    ]);
  });

  it('reports one message per bad setting', () => {
    const errors = expectErrors({
      PORT: '70000',
      SMTP_URL: 'http://mail',
      LOG_LEVEL: 'loud',
      TEMPORAL_ADDRESS: 'localhost',
    });
    expect(errors).toHaveLength(4);
    expect(errors.map((error) => error.split('=')[0]).sort()).toEqual([
      'LOG_LEVEL',
      'PORT',
      'SMTP_URL',
      'TEMPORAL_ADDRESS',
    ]);
  });

  it('rejects a bad escape in the SMTP password', () => {
    const [error] = expectErrors({ SMTP_URL: 'smtp://mailer:pass%zz@127.0.0.1:2525' });
    expect(error).toMatch(/^SMTP_URL=/);
    expect(error).toContain('a percent-encoded user and password');
    expect(error).not.toContain('pass%zz');
  });

  it('rejects a short API token', () => {
    const [error] = expectErrors({ UPTAKE_API_TOKEN: 'short' });
    expect(error).toMatch(/^UPTAKE_API_TOKEN=/);
    expect(error).toContain('at least 16 characters');
    expect(error).not.toContain('short');
  });

  it('reads a config file under the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-config-'));
    const file = join(dir, 'uptake.json');
    writeFileSync(
      file,
      JSON.stringify({ PORT: 4000, HOST: '0.0.0.0', EMAIL_FROM: 'CS <cs@x.test>' }),
    );
    const config = expectConfig({ HOST: '127.0.0.2' }, file);
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.2');
    expect(config.emailFrom).toBe('CS <cs@x.test>');
  });

  it('takes the file from UPTAKE_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-config-'));
    const file = join(dir, 'uptake.json');
    writeFileSync(file, JSON.stringify({ PORT: 4001 }));
    expect(expectConfig({ UPTAKE_CONFIG: file }).port).toBe(4001);
  });

  it('rejects an unknown key in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-config-'));
    const file = join(dir, 'uptake.json');
    writeFileSync(file, JSON.stringify({ PROT: 4000 }));
    expect(expectErrors({}, file)).toEqual([`PROT in ${file} is not a known setting`]);
  });

  it('rejects a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-config-'));
    const file = join(dir, 'uptake.json');
    writeFileSync(file, '{ PORT: 4000 ');
    const [error] = expectErrors({}, file);
    expect(error).toContain(`config file ${file} is not valid JSON`);
  });

  it('rejects a missing file', () => {
    const [error] = expectErrors({}, '/nonexistent/uptake.json');
    expect(error).toBe('config file /nonexistent/uptake.json cannot be read (ENOENT)');
  });
});

describe('ensureSecrets', () => {
  it('generates and keeps secrets', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-secrets-'));
    const config = expectConfig({ UPTAKE_DATA_DIR: dataDir });
    const first = ensureSecrets(config);
    const second = ensureSecrets(config);
    expect(first.apiTokenFile).toBe(join(dataDir, 'api-token'));
    expect(second.apiToken).toBe(first.apiToken);
    expect(second.unsubscribeSecret).toBe(first.unsubscribeSecret);
    expect(readFileSync(join(dataDir, 'api-token'), 'utf8').trim()).toBe(first.apiToken);
    expect(statSync(join(dataDir, 'api-token')).mode & 0o077).toBe(0);
  });

  it('uses configured secrets', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-secrets-'));
    const token = 'a-configured-token-1234';
    const secrets = ensureSecrets(
      expectConfig({ UPTAKE_DATA_DIR: dataDir, UPTAKE_API_TOKEN: token }),
    );
    expect(secrets.apiToken).toBe(token);
    expect(secrets.apiTokenFile).toBeUndefined();
  });
});
