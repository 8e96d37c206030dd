import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that parses and keeps every message it accepts. */
export interface SmtpSink {
  url: string;
  messages: ParsedMail[];
  /** Messages whose data a client started to send, whole or not. */
  started(): number;
  /** Connections that broke off, as happens when a worker process is killed mid-session. */
  resets(): number;
  close(): Promise<void>;
}

/**
 * Starts the sink on a random loopback port. Broken client connections are
 * counted instead of raised, because the end-to-end test kills a worker on purpose.
 * `replyDelayMs` delays each reply after the message is kept, as a relay does
 * while it writes the message to disk.
 */
export interface SmtpSinkOptions {
  replyDelayMs?: number;
  /** Runs when a client starts sending a message's data, before any byte of it is read. */
  onDataStart?: (count: number) => void;
  /** Runs as soon as the last byte of a message is in, before anything else; `count` includes it. */
  onDataEnd?: (count: number, raw: Buffer) => void;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const parsing: Promise<void>[] = [];
  const failures: Error[] = [];
  let resets = 0;
  let started = 0;
  let ended = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to manage in tests.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Like a relay that queues the raw message, the sink keeps it once the last byte is in and
    // parses afterwards, so the reply waits only for `replyDelayMs`.
    onData(stream, _session, callback) {
      started += 1;
      options.onDataStart?.(started);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        ended += 1;
        options.onDataEnd?.(ended, raw);
        setTimeout(callback, options.replyDelayMs ?? 0);
        parsing.push(
          simpleParser(raw).then(
            (mail) => void messages.push(mail),
            (error: Error) => void failures.push(error),
          ),
        );
      });
    },
  });
  server.on('error', () => {
    resets += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    started: () => started,
    resets: () => resets,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(parsing);
      if (failures.length > 0)
        throw new Error(`SMTP sink failed to parse a message: ${failures[0]}`);
    },
  };
}
