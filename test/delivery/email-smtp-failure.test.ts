import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import type { DeliveryDeps } from '../../src/delivery/config';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import type { Store } from '../../src/store/database';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

const resendWarning =
  'resending an email whose earlier send was interrupted; the relay may already have it';
const failedWarning = 'email send failed; the activity will be retried';

type LogLine = Record<string, unknown>;

/** Returns a loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface FaultyRelay {
  port: number;
  accepted: number;
  close(): Promise<void>;
}

/**
 * Starts a loopback relay that rejects the first RCPT TO with `rcptCode`, or
 * drops the connection in the middle of the first DATA when `dropInData` is set.
 */
async function startFaultyRelay(fault: { rcptCode?: number; dropInData?: boolean }) {
  const sockets: Socket[] = [];
  let rcptSeen = 0;
  let dataSeen = 0;
  const relay: FaultyRelay = { port: 0, accepted: 0, close: () => Promise.resolve() };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      rcptSeen += 1;
      if (rcptSeen > 1 || fault.rcptCode === undefined) return callback();
      const error = Object.assign(new Error('mailbox busy'), { responseCode: fault.rcptCode });
      callback(error);
    },
    onData(stream, _session, callback) {
      dataSeen += 1;
      const drop = fault.dropInData === true && dataSeen === 1;
      stream.on('data', () => {
        if (drop) for (const socket of sockets) socket.destroy();
      });
      stream.on('end', () => {
        if (drop) return;
        relay.accepted += 1;
        callback();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.server.address() as AddressInfo).port;
  relay.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return relay;
}

describe('deliverEmail when SMTP fails', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let transport: MailTransport | undefined;
  let lines: LogLine[];
  const action = plannedAction('email');
  const key = action.idempotencyKey;

  beforeEach(async () => {
    ({ store, cleanup } = await createTestStore());
    lines = [];
  });

  afterEach(async () => {
    transport?.close();
    await cleanup();
  });

  function depsFor(smtpUrl: string): DeliveryDeps {
    transport = createMailTransport({ smtpUrl, outboxDir: '/nonexistent' });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as LogLine);
        callback();
      },
    });
    return { ...createDeps(store, transport), logger: pino(sink) };
  }

  /** Starts a faulty relay and runs the first attempt, which must fail retryably. */
  async function failFirstSend(fault: { rcptCode?: number; dropInData?: boolean }) {
    const relay = await startFaultyRelay(fault);
    const deps = depsFor(`smtp://127.0.0.1:${relay.port}`);
    await expect(deliverEmail(deps, action)).rejects.toMatchObject({
      type: 'SmtpTransientError',
    });
    return { relay, deps };
  }

  const withMessage = (message: string) => lines.filter((line) => line.msg === message);

  describe('on the last attempt', () => {
    let result: Awaited<ReturnType<typeof deliverEmail>>;

    beforeEach(async () => {
      const deps = depsFor(`smtp://127.0.0.1:${await closedPort()}`);
      result = await deliverEmail(deps, action, { attempt: 30, final: true });
    });

    it('returns failed', () => {
      expect(result.status).toBe('failed');
    });

    it('records the row as failed', async () => {
      expect((await getOutboxRow(store.db, key)).status).toBe('failed');
    });

    it('names the last attempt in the reason', async () => {
      expect((await getOutboxRow(store.db, key)).reason).toMatch(
        /^SMTP send failed on the last attempt/,
      );
    });
  });

  describe('on a closed port', () => {
    let port: number;
    let deps: DeliveryDeps;

    beforeEach(async () => {
      port = await closedPort();
      deps = depsFor(`smtp://mailer:hunter2secret@127.0.0.1:${port}`);
      await expect(deliverEmail(deps, action)).rejects.toMatchObject({
        type: 'SmtpTransientError',
      });
    });

    it('clears the send mark', async () => {
      expect((await getOutboxRow(store.db, key)).send_started_at).toBeNull();
    });

    it('releases the lease', async () => {
      expect((await getOutboxRow(store.db, key)).lease_owner).toBeNull();
    });

    it('retries without the resend warning', async () => {
      await deliverEmail(deps, action).catch(() => undefined);
      expect(withMessage(resendWarning)).toHaveLength(0);
      expect(withMessage(failedWarning)).toHaveLength(2);
    });

    it('logs the code, key and relay', () => {
      const [warning] = withMessage(failedWarning);
      expect(warning?.errorCode).toBe('ECONNREFUSED');
      expect(warning?.idempotencyKey).toBe(key);
      expect(warning?.relay).toBe(`127.0.0.1:${port}`);
    });

    it('never logs the credentials', () => {
      expect(JSON.stringify(lines)).not.toContain('hunter2secret');
    });
  });

  describe('on a rejected RCPT', () => {
    let relay: FaultyRelay;
    let deps: DeliveryDeps;

    beforeEach(async () => {
      ({ relay, deps } = await failFirstSend({ rcptCode: 450 }));
    });

    afterEach(async () => {
      transport?.close();
      await relay.close();
    });

    it('sends on the retry without the resend warning', async () => {
      expect((await deliverEmail(deps, action)).status).toBe('sent');
      expect(relay.accepted).toBe(1);
      expect(withMessage(resendWarning)).toHaveLength(0);
    });

    it('logs the code, reply, key and relay', () => {
      const [warning] = withMessage(failedWarning);
      expect(warning?.errorCode).toBe('EENVELOPE');
      expect(warning?.responseCode).toBe(450);
      expect(warning?.idempotencyKey).toBe(key);
      expect(warning?.relay).toBe(`127.0.0.1:${relay.port}`);
    });
  });

  describe('on a drop during DATA', () => {
    let relay: FaultyRelay;
    let deps: DeliveryDeps;

    beforeEach(async () => {
      ({ relay, deps } = await failFirstSend({ dropInData: true }));
    });

    afterEach(async () => {
      transport?.close();
      await relay.close();
    });

    it('keeps the send mark', async () => {
      expect((await getOutboxRow(store.db, key)).send_started_at).not.toBeNull();
    });

    it('warns on the resend', async () => {
      expect((await deliverEmail(deps, action)).status).toBe('sent');
      expect(withMessage(resendWarning)).toHaveLength(1);
    });
  });
});
