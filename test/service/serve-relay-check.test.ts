import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig, type ServiceConfig } from '../../src/service/config';
import { startService, type RunningService } from '../../src/service/service';
import { startSmtpServer } from '../delivery/helpers/smtp';
import { freePort } from './free-port';
import { startSilentRelay } from './silent-relay';

interface LogLine {
  level: number;
  msg: string;
}

async function configWithSmtp(smtpUrl: string): Promise<ServiceConfig> {
  const load = loadConfig({
    UPTAKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'uptake-relay-')),
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    SMTP_URL: smtpUrl,
  });
  if (!load.ok) throw new Error(load.errors.join('\n'));
  return load.config;
}

/** Starts the service with a logger whose lines about the relay check are kept. */
async function startWithRelayLog(smtpUrl: string) {
  const relayLines: LogLine[] = [];
  const everything: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      everything.push(chunk.toString());
      const line = JSON.parse(chunk.toString()) as LogLine;
      if (/^SMTP relay \S+ (is reachable|failed the start-up check)/.test(line.msg)) {
        relayLines.push(line);
      }
      done();
    },
  });
  const service = await startService(await configWithSmtp(smtpUrl), pino({ level: 'info' }, sink));
  return { service, relayLines, everything: () => everything.join('') };
}

async function waitForLine(lines: LogLine[], timeoutMs = 15_000): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  while (lines.length === 0 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
  }
  const [line] = lines;
  if (!line) throw new Error(`no relay check line in ${timeoutMs} ms`);
  return line;
}

describe('startService relay check', () => {
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('warns on a closed port', async () => {
    const port = await freePort();
    const started = await startWithRelayLog(`smtp://mailer:s3cret-pass@127.0.0.1:${port}`);
    service = started.service;

    const line = await waitForLine(started.relayLines);

    expect(line.level).toBe(40);
    expect(line.msg).toContain(`127.0.0.1:${port}`);
    expect(line.msg).toContain('ECONNREFUSED');
    expect(started.relayLines).toHaveLength(1);
    expect(started.everything()).not.toContain('s3cret-pass');
    expect(service.emailRelay).toBe(`127.0.0.1:${port}`);
  });

  it('starts before the check ends', async () => {
    const silent = await startSilentRelay();
    try {
      const started = await startWithRelayLog(`smtp://127.0.0.1:${silent.port}`);
      service = started.service;

      // The check waits up to 5 s for a greeting, so it cannot have ended yet.
      expect(started.relayLines).toHaveLength(0);
      const line = await waitForLine(started.relayLines);
      expect(line.level).toBe(40);
      expect(line.msg).toContain('ETIMEDOUT');
    } finally {
      await service?.close();
      service = undefined;
      await silent.close();
    }
  });

  it('logs info with a loopback relay', async () => {
    const smtp = await startSmtpServer();
    try {
      const started = await startWithRelayLog(smtp.url);
      service = started.service;

      const line = await waitForLine(started.relayLines);

      expect(line.level).toBe(30);
      expect(line.msg).toContain(new URL(smtp.url).host);
    } finally {
      await service?.close();
      service = undefined;
      await smtp.close();
    }
  });
});
