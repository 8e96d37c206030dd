import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { silentLogger } from '../../src/logger';
import { loadConfig, type ServiceConfig } from '../../src/service/config';
import { startService, type RunningService } from '../../src/service/service';
import { freePort } from './free-port';

const cli = resolve(__dirname, '..', '..', 'bin', 'uptake.js');
const dayMs = 86_400_000;

async function testConfig(dataDir: string): Promise<ServiceConfig> {
  const load = loadConfig({
    UPTAKE_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
  });
  if (!load.ok) throw new Error(load.errors.join('\n'));
  return load.config;
}

async function call(service: RunningService, method: string, path: string, body?: unknown) {
  const response = await fetch(service.url + path, {
    method,
    headers: {
      authorization: `Bearer ${service.secrets.apiToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`condition not met in ${timeoutMs} ms`);
}

/** Ingests an account 20 days into its term with an onboarding milestone 10 days overdue. */
async function ingestStuckAccount(service: RunningService): Promise<void> {
  const start = Date.now() - 20 * dayMs;
  await call(service, 'PUT', '/v1/features', {
    features: [{ key: 'reports', name: 'Reports', isKey: true }],
  });
  await call(service, 'PUT', '/v1/accounts', {
    accounts: [{ id: 'stuck', name: 'Stuck Inc', csmOwner: 'csm-zoe', createdAt: start }],
  });
  await call(service, 'PUT', '/v1/users', {
    users: [{ id: 'stuck-admin', accountId: 'stuck', email: 'admin@stuck.test', role: 'admin' }],
  });
  await call(service, 'PUT', '/v1/contracts', {
    contracts: [
      {
        id: 'stuck-t1',
        accountId: 'stuck',
        termNumber: 1,
        startAt: start,
        renewalAt: start + 365 * dayMs,
      },
    ],
  });
  await call(service, 'PUT', '/v1/milestones', {
    milestones: [{ accountId: 'stuck', key: 'setup', name: 'Set up', dueAt: start + 10 * dayMs }],
  });
}

describe('startService', () => {
  it('checks an ingested account and resumes after a restart', async () => {
    const config = await testConfig(mkdtempSync(join(tmpdir(), 'uptake-serve-')));
    let service = await startService(config, silentLogger);
    try {
      const health = await fetch(`${service.url}/health`);
      expect(health.status).toBe(200);
      await ingestStuckAccount(service);

      const task = await waitFor(async () => {
        const tasks = await call(service, 'GET', '/v1/tasks?owner=csm-zoe');
        return (tasks.body.tasks as { ruleId: string }[])[0];
      });
      expect(task.ruleId).toBe('onboarding-milestone-overdue');
      const state = await call(service, 'GET', '/v1/accounts/stuck');
      expect((state.body.decisions as unknown[]).length).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();

    service = await startService(config, silentLogger);
    try {
      await service.reconciled;
      const description = await service.client.workflow.getHandle('account-stuck').describe();
      expect(description.status.name).toBe('RUNNING');
      const tasks = await call(service, 'GET', '/v1/tasks?owner=csm-zoe');
      expect(tasks.body.tasks).toHaveLength(1);
    } finally {
      await service.close();
    }
  });
});

describe('startService port check', () => {
  it('names PORT when it is taken', async () => {
    const config = await testConfig(mkdtempSync(join(tmpdir(), 'uptake-port-')));
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(config.port, '127.0.0.1', done));
    try {
      await expect(startService(config, silentLogger)).rejects.toThrow(
        `PORT=${config.port} on 127.0.0.1 is already in use: stop the process that listens ` +
          'there, or set PORT to a free port',
      );
    } finally {
      await new Promise((done) => holder.close(done));
    }
  }, 60_000);
});

describe('uptake serve', () => {
  // A failed assertion must not leave a server running that keeps Jest alive.
  const children: ChildProcess[] = [];
  const start = (env: NodeJS.ProcessEnv): ChildProcess & { stdout: Readable; stderr: Readable } => {
    const child = spawn(process.execPath, [cli, 'serve'], { env });
    children.push(child);
    return child;
  };
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      // SIGTERM lets serve stop its own Temporal dev server, which shares the output pipes.
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  }, 30_000);

  it('exits 1 naming a bad setting', async () => {
    const child = start({
      ...process.env,
      PORT: 'http',
      UPTAKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'uptake-bad-')),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT="http" is invalid: expected an integer from 0 to 65535');
  });

  const failedStart = async (dataDir: string) => {
    const child = start({
      ...process.env,
      UPTAKE_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    return { code, stderr };
  };

  it('exits 1 on a data folder under /proc', async () => {
    const { code, stderr } = await failedStart('/proc/uptake-nope');
    expect(code).toBe(1);
    expect(stderr).toContain('UPTAKE_DATA_DIR=/proc/uptake-nope cannot be used');
    expect(stderr).toContain('does not allow a new folder at /proc/uptake-nope');
    expect(stderr).toContain('set UPTAKE_DATA_DIR to a path');
  }, 30_000);

  it('exits 1 on a data folder under a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'uptake-file-')), 'afile');
    writeFileSync(file, '');
    const { code, stderr } = await failedStart(join(file, 'sub'));
    expect(code).toBe(1);
    expect(stderr).toContain(`UPTAKE_DATA_DIR=${join(file, 'sub')} cannot be used`);
    expect(stderr).toContain('is a file, not a folder (ENOTDIR)');
  }, 30_000);

  it('exits 1 naming a bad rule file', async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'uptake-bad-rules-'));
    writeFileSync(join(rulesDir, 'broken.json'), '{bad');
    const child = start({
      ...process.env,
      UPTAKE_RULES_DIR: rulesDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      UPTAKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'uptake-bad-')),
      LOG_LEVEL: 'silent',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(rulesDir, 'broken.json')}:1:`);
  }, 60_000);

  it('shuts down gracefully on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-sigterm-'));
    const port = await freePort();
    const child = start({
      ...process.env,
      UPTAKE_DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: '',
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor(async () => (stdout.includes('API token:') ? true : undefined));
    expect(stdout).toContain(`API token:       stored in ${join(dataDir, 'api-token')}`);
    expect(stdout).not.toContain(readFileSync(join(dataDir, 'api-token'), 'utf8').trim());

    child.kill('SIGTERM');
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('restarts after serve is killed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-kill9-'));
    const env = {
      ...process.env,
      UPTAKE_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: '',
    };
    const first = start(env);
    let firstOut = '';
    first.stdout.on('data', (chunk: Buffer) => (firstOut += chunk.toString()));
    await waitFor(async () => (firstOut.includes('API token:') ? true : undefined));
    const record = JSON.parse(readFileSync(join(dataDir, 'temporal-dev-server.json'), 'utf8')) as {
      pid: number;
    };
    const firstExit = new Promise((done) => first.once('exit', done));
    first.kill('SIGKILL');
    await firstExit;
    try {
      const second = start(env);
      let secondOut = '';
      second.stdout.on('data', (chunk: Buffer) => (secondOut += chunk.toString()));
      await waitFor(async () => (secondOut.includes('API token:') ? true : undefined));
      expect(secondOut).toContain('left running');
      expect(secondOut).toContain(`"devServerPid":${record.pid}`);
      expect(() => process.kill(record.pid, 0)).toThrow();
    } finally {
      // A failed restart must not leave the orphan running.
      try {
        process.kill(record.pid, 'SIGKILL');
      } catch {
        // Already stopped.
      }
    }
  }, 90_000);
});
