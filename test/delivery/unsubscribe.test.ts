import fc from 'fast-check';
import {
  createUnsubscribeToken,
  findSuppression,
  unsubscribeUser,
  verifyUnsubscribeToken,
} from '../../src/delivery/unsubscribe';
import type { Store } from '../../src/store/database';
import { createTestStore } from './helpers/store';

describe('unsubscribe tokens', () => {
  it('round-trips any user id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (userId) => {
        expect(verifyUnsubscribeToken(createUnsubscribeToken(userId, 's3cret'), 's3cret')).toBe(
          userId,
        );
      }),
    );
  });

  it('rejects another secret', () => {
    expect(verifyUnsubscribeToken(createUnsubscribeToken('u1', 'a'), 'b')).toBeUndefined();
  });

  it('rejects a swapped user id', () => {
    const [, mac] = createUnsubscribeToken('u1', 'k').split('.');
    const forged = `${Buffer.from('u2').toString('base64url')}.${mac}`;
    expect(verifyUnsubscribeToken(forged, 'k')).toBeUndefined();
  });

  it.each(['', 'abc', 'a.b.c', '.', 'dTE.'])('rejects malformed %j', (token) => {
    expect(verifyUnsubscribeToken(token, 'k')).toBeUndefined();
  });

  it('refuses an empty secret', () => {
    expect(() => createUnsubscribeToken('u1', '')).toThrow(/secret is empty/);
  });
});

describe('unsubscribeUser', () => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ store, cleanup } = await createTestStore());
  });

  afterEach(async () => {
    await cleanup();
  });

  it('clears the subscribed flag', async () => {
    expect(await unsubscribeUser(store, 'u-bob')).toBe(true);
    const user = await store.db
      .selectFrom('users')
      .select('subscribed')
      .where('id', '=', 'u-bob')
      .executeTakeFirst();
    expect(user?.subscribed).toBe(0);
  });

  it('suppresses the address too', async () => {
    await unsubscribeUser(store, 'u-bob');
    const reason = await findSuppression(store, {
      id: 'other',
      email: 'BOB@northwind.test',
      subscribed: 1,
    });
    expect(reason).toBe('suppressed: unsubscribed');
  });

  it('adds one suppression when repeated', async () => {
    await unsubscribeUser(store, 'u-bob');
    await unsubscribeUser(store, 'u-bob');
    expect(await store.db.selectFrom('suppressions').selectAll().execute()).toHaveLength(1);
  });

  it('returns false for an unknown user', async () => {
    expect(await unsubscribeUser(store, 'nobody')).toBe(false);
  });
});
