import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createMailTransport, type OutgoingMail } from '../src/delivery/mail-transport';
import type { Bench, BenchFigure } from './types';

const messageCount = 300;

/** Starts a relay on loopback that accepts each message as soon as its last byte is in. */
async function startRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Builds a message the size of a rendered playbook email: about 12 KB of text and 9 KB of HTML. */
function message(index: number): OutgoingMail {
  return {
    from: 'Uptake <cs@uptake.test>',
    to: `user-${index}@customer.test`,
    subject: `Try saved reports (${index})`,
    text: 'Saved reports keep your filters. '.repeat(360),
    html: `<p>${'Saved reports keep your <b>filters</b>. '.repeat(220)}</p>`,
    messageId: `<bench-${index}@uptake.test>`,
  };
}

/** Measures messages per second through Uptake's SMTP transport, one in flight, each recorded on acceptance. */
async function uptakeTransportRate(relayUrl: string): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'uptake-bench-email-'));
  const transport = createMailTransport({ smtpUrl: relayUrl, outboxDir: folder });
  let accepted = 0;
  const hooks = { starting: () => true, accepted: () => void (accepted += 1) };
  await transport.send('warm-up', message(-1), hooks);
  const began = performance.now();
  for (let index = 0; index < messageCount; index += 1) {
    await transport.send(`bench-${index}`, message(index), hooks);
  }
  const seconds = (performance.now() - began) / 1000;
  transport.close();
  rmSync(folder, { recursive: true, force: true });
  if (accepted !== messageCount + 1)
    throw new Error(`relay accepted ${accepted} messages, expected ${messageCount + 1}`);
  return messageCount / seconds;
}

/** Measures messages per second through nodemailer's pool with its default socket, one connection. */
async function nodemailerPoolRate(relayUrl: string): Promise<number> {
  const transporter = nodemailer.createTransport(`${relayUrl}?pool=true&maxConnections=1`);
  await transporter.sendMail(message(-1));
  const began = performance.now();
  for (let index = 0; index < messageCount; index += 1) {
    await transporter.sendMail(message(index));
  }
  const seconds = (performance.now() - began) / 1000;
  transporter.close();
  return messageCount / seconds;
}

const bench: Bench = {
  title: 'Email: sends over SMTP on loopback vs nodemailer pool defaults',
  async run(): Promise<BenchFigure[]> {
    const relay = await startRelay();
    try {
      const baselineBefore = await nodemailerPoolRate(relay.url);
      const uptake = await uptakeTransportRate(relay.url);
      const baselineAfter = await nodemailerPoolRate(relay.url);
      const baseline = (baselineBefore + baselineAfter) / 2;
      return [
        {
          name: `Uptake SMTP transport, ${messageCount} messages of about 21 KB`,
          value: uptake,
          unit: 'messages/s',
          baseline: {
            name: 'nodemailer pool with its default socket',
            value: baseline,
            unit: 'messages/s',
          },
          ratio: uptake / baseline,
          note: "one message in flight on both sides; Uptake's socket has Nagle's algorithm off, so the last write of a message does not wait for the relay's delayed ACK",
        },
      ];
    } finally {
      await relay.close();
    }
  },
};

export default bench;
