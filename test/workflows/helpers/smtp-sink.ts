import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that parses and keeps every message it accepts. */
export interface SmtpSink {
  url: string;
  messages: ParsedMail[];
  /** Connections that broke off, as happens when a worker process is killed mid-session. */
  resets(): number;
  close(): Promise<void>;
}

/**
 * Starts the sink on a random loopback port. Broken client connections are
 * counted instead of raised, because the end-to-end test kills a worker on purpose.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let resets = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to manage in tests.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
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
    resets: () => resets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
