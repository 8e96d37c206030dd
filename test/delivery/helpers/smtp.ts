import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the loopback SMTP server accepted. */
export interface ReceivedMail {
  raw: Buffer;
  recipients: string[];
}

/** A real SMTP server on 127.0.0.1 at a random port that keeps every message it accepts. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Connections opened so far, to tell a pooled transport from one connection per message. */
  connections(): number;
  parse(index: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/**
 * Starts the server. With `secure`, it speaks implicit TLS (smtps) with
 * smtp-server's built-in self-signed test certificate, which the URL accepts.
 */
export async function startSmtpServer(
  options: {
    secure?: boolean;
    /** Runs when a client starts a message's data, before any byte of it is read. */
    onDataStart?: () => void;
    /** Runs as soon as the last byte of a message is in. */
    onDataEnd?: () => void;
  } = {},
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    secure: options.secure === true,
    authOptional: true,
    // Plain SMTP on loopback: no certificate to manage in tests.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      options.onDataStart?.();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        options.onDataEnd?.();
        received.push({
          raw: Buffer.concat(chunks),
          recipients: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  // A client that refuses the TLS certificate drops the connection. The server reports that
  // as an error event, which would crash the test run without a listener.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: options.secure
      ? `smtps://127.0.0.1:${port}/?tls.rejectUnauthorized=false`
      : `smtp://127.0.0.1:${port}`,
    received,
    connections: () => connections,
    parse: (index) => {
      const mail = received[index];
      if (!mail) throw new Error(`no message ${index}: the server received ${received.length}`);
      return simpleParser(mail.raw);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
