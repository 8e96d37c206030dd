import { createMailTransport } from '../../src/delivery/mail-transport';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';

/** Sends two messages and returns the hook calls in order. */
async function sendTwo(smtpUrl: string, maxInFlight = 1): Promise<string[]> {
  const transport = createMailTransport({ smtpUrl, outboxDir: '/nonexistent', maxInFlight });
  const calls: string[] = [];
  try {
    for (const index of [1, 2]) {
      const message = {
        from: 'cs@vendor.test',
        to: `user${index}@northwind.test`,
        text: `Line one\r\n.\r\nA line that is a dot, then the end ${index}`,
        messageId: `<handover-${index}@vendor.test>`,
      };
      await transport.send(`key-${index}`, message, {
        starting: () => true,
        handedOver: () => void calls.push(`handed over ${index}`),
        accepted: () => void calls.push(`accepted ${index}`),
      });
    }
  } finally {
    transport.close();
  }
  return calls;
}

/** Runs `body` against a loopback SMTP server, plain or with TLS from the start. */
async function withServer<T>(
  secure: boolean,
  body: (smtp: TestSmtpServer) => Promise<T>,
): Promise<T> {
  const smtp = await startSmtpServer({ secure });
  try {
    return await body(smtp);
  } finally {
    await smtp.close();
  }
}

describe('SMTP hand-over hook', () => {
  const expected = ['handed over 1', 'accepted 1', 'handed over 2', 'accepted 2'];

  it('runs before acceptance over SMTP', async () => {
    expect(await withServer(false, (smtp) => sendTwo(smtp.url))).toEqual(expected);
  });

  it('runs before acceptance over smtps', async () => {
    expect(await withServer(true, (smtp) => sendTwo(smtp.url))).toEqual(expected);
  });

  it('keeps a dot line in the body', async () => {
    const text = await withServer(true, async (smtp) => {
      await sendTwo(smtp.url);
      return (await smtp.parse(0)).text;
    });
    expect(text).toContain('Line one\n.\nA line that is a dot');
  });

  it('checks the relay certificate over smtps', async () => {
    const trusting = (url: string): string => url.replace(/\/\?tls\.rejectUnauthorized=false$/, '');
    const sending = withServer(true, (smtp) => sendTwo(trusting(smtp.url)));
    await expect(sending).rejects.toThrow(/certificate/);
  });

  it('is not run with several in flight', async () => {
    const calls = await withServer(false, (smtp) => sendTwo(smtp.url, 2));
    expect(calls).toEqual(['accepted 1', 'accepted 2']);
  });
});
