import { Writable } from 'node:stream';
import pino from 'pino';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { checkMailRelay } from '../../src/service/mail-relay-check';
import { startSmtpServer, type TestSmtpServer } from '../delivery/helpers/smtp';
import { freePort } from './free-port';
import { startSilentRelay, type SilentRelay } from './silent-relay';

interface LogLine {
  level: number;
  msg: string;
  relay?: string;
  errorCode?: string;
}

/** Returns a logger at info level and the JSON lines it wrote, parsed. */
function captureLogger() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines, raw: () => JSON.stringify(lines) };
}

function smtpTransport(url: string): MailTransport {
  return createMailTransport({ smtpUrl: url, outboxDir: '/nonexistent-outbox' });
}

describe('checkMailRelay', () => {
  let transport: MailTransport | undefined;
  afterEach(() => transport?.close());

  it('warns on a closed port', async () => {
    const port = await freePort();
    transport = smtpTransport(`smtp://mailer:s3cret-pass@127.0.0.1:${port}`);
    const log = captureLogger();

    await checkMailRelay(transport, log.logger);

    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.level).toBe(40);
    expect(log.lines[0]?.msg).toContain(`127.0.0.1:${port}`);
    expect(log.lines[0]?.msg).toContain('ECONNREFUSED');
    expect(log.lines[0]?.msg).toContain('check SMTP_URL');
    expect(log.lines[0]?.errorCode).toBe('ECONNREFUSED');
    expect(log.raw()).not.toContain('s3cret-pass');
    expect(log.raw()).not.toContain('mailer');
  });

  describe('with a relay that never greets', () => {
    let silent: SilentRelay;
    beforeAll(async () => {
      silent = await startSilentRelay();
    });
    afterAll(() => silent.close());

    it('warns after the timeout', async () => {
      // nodemailer's own greeting timeout ends the connection soon after the check gives up.
      transport = smtpTransport(`smtp://127.0.0.1:${silent.port}?greetingTimeout=600`);
      const log = captureLogger();

      await checkMailRelay(transport, log.logger, 300);

      expect(log.lines).toHaveLength(1);
      expect(log.lines[0]?.level).toBe(40);
      expect(log.lines[0]?.msg).toContain(`127.0.0.1:${silent.port}`);
      expect(log.lines[0]?.errorCode).toBe('ETIMEDOUT');
    });
  });

  describe('with a loopback SMTP server', () => {
    let server: TestSmtpServer;
    beforeAll(async () => {
      server = await startSmtpServer();
    });
    afterAll(() => server.close());

    it('logs one info line', async () => {
      transport = smtpTransport(server.url);
      const log = captureLogger();

      await checkMailRelay(transport, log.logger);

      expect(log.lines).toHaveLength(1);
      expect(log.lines[0]?.level).toBe(30);
      expect(log.lines[0]?.msg).toContain(new URL(server.url).host);
      expect(log.lines[0]?.relay).toBe(new URL(server.url).host);
    });
  });

  it('logs nothing for .eml files', async () => {
    transport = createMailTransport({ outboxDir: '/nonexistent-outbox' });
    const log = captureLogger();

    await checkMailRelay(transport, log.logger);

    expect(log.lines).toHaveLength(0);
  });
});
