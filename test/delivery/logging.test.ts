import { Writable } from 'node:stream';
import pino from 'pino';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport } from '../../src/delivery/mail-transport';
import type { Store } from '../../src/store/database';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

describe('delivery logging', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        callback();
      },
    });
    const deps = {
      ...createDeps(store, createMailTransport({ outboxDir: dir })),
      logger: pino(sink),
    };
    await deliverEmail(deps, plannedAction('email'));
  });

  afterAll(async () => {
    await cleanup();
  });

  it('logs the send with the ids', () => {
    const sent = lines.find((line) => line.msg === 'email sent');
    expect(sent).toMatchObject({
      accountId: 'acc-1',
      ruleId: 'key-features-never-used',
      recipient: 'u-ada',
    });
  });

  it('never logs the body or the address', () => {
    const text = JSON.stringify(lines);
    expect(text).not.toContain('Scheduled reports');
    expect(text).not.toContain('ada@northwind.test');
  });
});
