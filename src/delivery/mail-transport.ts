import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { connect, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { watchDataEnd, type DataEndHooks } from './data-end';
import { createSendLimiter } from './send-limiter';
import { whenReady } from './when-ready';

/** A message ready to send; `messageId` is derived from the idempotency key. */
export type OutgoingMail = Mail.Options & { messageId: string };

/** A message, or a function that builds it when its turn to send comes. */
export type MessageSource = OutgoingMail | (() => OutgoingMail);

function build(message: MessageSource): OutgoingMail {
  return typeof message === 'function' ? message() : message;
}

/**
 * Callbacks around the hand-over of one message. Both run synchronously, so a
 * store write inside them happens in the same event-loop turn as the event.
 */
export interface SendHooks {
  /**
   * Tells whether the other hooks can record their marks now. While it returns
   * false the send waits at each mark: before it starts, before the last byte
   * of the data, and before it reports the acceptance.
   */
  ready?(): boolean;
  /** Runs right before the message goes to the relay; returning false cancels the send. */
  starting(): boolean;
  /**
   * Runs when the relay is bound to receive the whole message, end-of-data
   * terminator included, even if this process dies now: over plain SMTP right
   * before the last byte goes to the kernel, over TLS once the write
   * completed. Only over SMTP with one message in flight; it must not throw.
   */
  handedOver?(): void;
  /** Withdraws `handedOver` when the last byte did not reach the kernel after all; must not throw. */
  handOverFailed?(): void;
  /** Runs as soon as the relay (or disk) accepted the message. */
  accepted(): void;
}

/** Raised when `SendHooks.starting` cancels a send; nothing went to the relay. */
export class SendCancelledError extends Error {
  constructor(key: string) {
    super(`send of ${key} cancelled before the message left: the outbox lease was lost`);
    this.name = 'SendCancelledError';
  }
}

/** Destination of emails: an SMTP relay, or .eml files in a folder. */
export interface MailTransport {
  kind: 'smtp' | 'eml';
  /** Host and port of the SMTP relay, without credentials, for logs; null for .eml files. */
  relay: string | null;
  /**
   * Sends one message under its idempotency key; resolves once the relay or
   * disk accepted it. A function given for the message runs when the send's
   * turn comes, so what it renders is current. An error it throws rejects the
   * send before anything goes out.
   */
  send(key: string, message: MessageSource, hooks: SendHooks): Promise<void>;
  /**
   * Tells whether the message of `key` was already delivered. The .eml outbox
   * checks its folder. Over SMTP only acceptances seen by this process count,
   * because a relay cannot be asked.
   */
  wasSent(key: string): boolean;
  /**
   * Connects to the SMTP relay once and checks its greeting and login, giving up
   * after `timeoutMs` with an error whose code is ETIMEDOUT. Absent for .eml files.
   */
  verify?(timeoutMs: number): Promise<void>;
  close(): void;
}

/** Options of the mail transport. */
export interface MailTransportOptions {
  smtpUrl?: string;
  outboxDir: string;
  /**
   * Messages handed to the relay at once (default 1). A process killed mid-send
   * can leave this many messages accepted by the relay but not yet recorded.
   */
  maxInFlight?: number;
}

/**
 * Creates the mail transport: nodemailer over `smtpUrl` with a connection
 * pool, or .eml files in `outboxDir` when no URL is set.
 */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  if (options.smtpUrl) return createSmtpTransport(options.smtpUrl, options.maxInFlight ?? 1);
  return createEmlTransport(options.outboxDir);
}

// Each SMTP phase ends well inside the 15 s outbox lease and the activity's
// start-to-close timeout. nodemailer's defaults (2 min to connect, 10 min of
// socket inactivity) would let a new attempt start while this one still sends.
const smtpTimeouts = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 };

function createSmtpTransport(smtpUrl: string, maxInFlight: number): MailTransport {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${url.protocol}//`);
  }
  const limit = Math.max(1, Math.floor(maxInFlight));
  // nodemailer ignores other options when given a URL, so they go in its query.
  url.searchParams.set('pool', 'true');
  url.searchParams.set('maxConnections', String(limit));
  for (const [name, ms] of Object.entries(smtpTimeouts)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  const transporter = nodemailer.createTransport(url.toString());
  // nodemailer's default ports: 465 for implicit TLS, else 587.
  const port = Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587);
  const relay = `${url.hostname}:${port}`;
  const endpoint = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  // With one connection the message being sent is known when its data ends.
  let sending: SendHooks | null = null;
  const dataEnd: DataEndHooks = {
    ready: () => sending?.ready?.() ?? true,
    handedOver: () => (limit === 1 ? sending?.handedOver?.() : undefined),
    handOverFailed: () => (limit === 1 ? sending?.handOverFailed?.() : undefined),
  };
  (transporter.transporter as unknown as SMTPPool).getSocket = (options, callback) =>
    openRelaySocket(endpoint, options, dataEnd, callback);
  const limiter = createSendLimiter(limit);
  const accepted = createRecentKeys(10_000);
  return {
    kind: 'smtp',
    relay,
    send: (key, message, hooks) =>
      limiter.run(
        () =>
          new Promise<void>((resolve, reject) => {
            const mail = build(message);
            const ready = storeReady(hooks);
            whenReady(ready, () => {
              if (!start(key, hooks, reject)) return;
              sending = hooks;
              transporter.sendMail(mail, (error) => {
                sending = null;
                if (error) return reject(error);
                accepted.add(key);
                whenReady(ready, () => settle(() => hooks.accepted(), resolve, reject));
              });
            });
          }),
      ),
    wasSent: (key) => accepted.has(key),
    verify: (timeoutMs) => verifyWithin(() => transporter.verify(), timeoutMs),
    close: () => transporter.close(),
  };
}

/** Runs `step`, then resolves, or rejects with the error it throws. */
function settle(step: () => void, resolve: () => void, reject: (error: unknown) => void): void {
  try {
    step();
    resolve();
  } catch (error) {
    reject(error);
  }
}

/** Returns the send's `ready` check, or one that always passes when the send has none. */
function storeReady(hooks: SendHooks): () => boolean {
  return () => hooks.ready?.() ?? true;
}

/** Runs `hooks.starting`; rejects the send and returns false when it cancels the send or throws. */
function start(key: string, hooks: SendHooks, reject: (error: unknown) => void): boolean {
  try {
    if (hooks.starting()) return true;
    reject(new SendCancelledError(key));
  } catch (error) {
    reject(error);
  }
  return false;
}

/**
 * Starts the connection to the relay with Nagle's algorithm off and hands it
 * to nodemailer's pool, which speaks SMTP over it and reports its errors as for
 * a connection of its own. With Nagle on, the short last write of a message
 * (the terminating dot) waits for the relay's delayed ACK: 45 ms per message
 * against 5 ms without, measured on loopback. For smtps:// this side sets up
 * TLS, so that the watch on the end of each message's data reads plain text.
 */
function openRelaySocket(
  endpoint: { host: string; port: number },
  options: SMTPPool.Options,
  dataEnd: DataEndHooks,
  callback: (error: null, socketOptions: { connection: Socket; secured: boolean }) => void,
): void {
  const tcp = connect({ ...endpoint, noDelay: true });
  const tlsOptions = options.tls as ConnectionOptions | undefined;
  const socket = options.secure
    ? connectTls({ host: endpoint.host, ...serverName(endpoint.host), ...tlsOptions, socket: tcp })
    : tcp;
  watchDataEnd(socket, dataEnd);
  callback(null, { connection: socket, secured: options.secure === true });
}

/** Returns the TLS server name for a relay host; none for an IP address, which SNI does not allow. */
function serverName(host: string): { servername?: string } {
  return isIP(host) === 0 ? { servername: host } : {};
}

/** Runs nodemailer's verify, rejecting with code ETIMEDOUT when it takes longer than `timeoutMs`. */
async function verifyWithin(verify: () => Promise<true>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`SMTP relay check timed out after ${timeoutMs} ms`);
      reject(Object.assign(error, { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([verify(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates a set of at most `max` keys that drops the oldest first. */
function createRecentKeys(max: number): { add(key: string): void; has(key: string): boolean } {
  const keys = new Set<string>();
  return {
    add(key) {
      keys.add(key);
      if (keys.size > max) keys.delete(keys.values().next().value as string);
    },
    has: (key) => keys.has(key),
  };
}

/** Returns the .eml file name of a key: readable prefix plus a hash, so distinct keys never collide. */
export function emlFileName(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable}.${hash}.eml`;
}

function createEmlTransport(outboxDir: string): MailTransport {
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return {
    kind: 'eml',
    relay: null,
    async send(key, message, hooks) {
      mkdirSync(outboxDir, { recursive: true });
      const info = await transporter.sendMail(build(message));
      const target = join(outboxDir, emlFileName(key));
      const store = (): void => {
        // Write then rename, so that a file under the final name is always a complete message.
        const partial = `${target}.partial`;
        writeFileSync(partial, info.message as Buffer);
        renameSync(partial, target);
        hooks.accepted();
      };
      await new Promise<void>((resolve, reject) =>
        whenReady(storeReady(hooks), () => {
          if (start(key, hooks, reject)) settle(store, resolve, reject);
        }),
      );
    },
    wasSent: (key) => existsSync(join(outboxDir, emlFileName(key))),
    close: () => transporter.close(),
  };
}
