import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

/** A message ready to send; `messageId` is derived from the idempotency key. */
export type OutgoingMail = Mail.Options & { messageId: string };

/** Destination of emails: an SMTP relay, or .eml files in a folder. */
export interface MailTransport {
  kind: 'smtp' | 'eml';
  /** Sends one message under its idempotency key; resolves once the relay or disk accepted it. */
  send(key: string, message: OutgoingMail): Promise<void>;
  /**
   * Tells whether the message of `key` was already delivered. Only the .eml
   * outbox can tell; an SMTP relay cannot be asked, so it returns false.
   */
  wasSent(key: string): boolean;
  close(): void;
}

/**
 * Creates the mail transport: nodemailer over `smtpUrl` with a connection
 * pool, or .eml files in `outboxDir` when no URL is set.
 */
export function createMailTransport(options: {
  smtpUrl?: string;
  outboxDir: string;
}): MailTransport {
  if (options.smtpUrl) return createSmtpTransport(options.smtpUrl);
  return createEmlTransport(options.outboxDir);
}

function createSmtpTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${url.protocol}//`);
  }
  // nodemailer reads transport options from the URL query, so the pool flag goes there.
  url.searchParams.set('pool', 'true');
  const transporter = nodemailer.createTransport(url.toString());
  return {
    kind: 'smtp',
    async send(_key, message) {
      await transporter.sendMail(message);
    },
    wasSent: () => false,
    close: () => transporter.close(),
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
    async send(key, message) {
      mkdirSync(outboxDir, { recursive: true });
      const info = await transporter.sendMail(message);
      const target = join(outboxDir, emlFileName(key));
      // Write then rename, so that a file under the final name is always a complete message.
      const partial = `${target}.partial`;
      writeFileSync(partial, info.message as Buffer);
      renameSync(partial, target);
    },
    wasSent: (key) => existsSync(join(outboxDir, emlFileName(key))),
    close: () => transporter.close(),
  };
}
