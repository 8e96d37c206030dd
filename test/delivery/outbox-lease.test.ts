import { join } from 'node:path';
import { getOutboxRow } from '../../src/delivery/outbox';
import {
  claimLease,
  markHandedOver,
  markSendStarted,
  markSentSync,
  releaseLease,
  renewLease,
  type LeaseRequest,
} from '../../src/delivery/outbox-lease';
import { openStore, type Store } from '../../src/store/database';
import { createTestStore, plannedAction, testNow } from './helpers/store';

const leaseMs = 1_000;
const action = plannedAction('email');
const key = action.idempotencyKey;

function request(owner: string, now = testNow): LeaseRequest {
  return { owner, now, leaseMs, messageId: '<m@vendor.test>' };
}

describe('outbox lease', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
  });

  afterEach(async () => {
    await cleanup();
  });

  describe('two concurrent claimants', () => {
    let other: Store;

    beforeEach(async () => {
      // A second connection to the same file, as a second worker process has.
      other = await openStore(join(dir, 'uptake.sqlite'));
    });

    afterEach(async () => {
      await other.close();
    });

    it('lets exactly one win', async () => {
      const claims = await Promise.all([
        claimLease(store.db, action, request('worker-a')),
        claimLease(other.db, action, request('worker-b')),
      ]);
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    });

    it('tells the loser the row is leased', async () => {
      const claims = await Promise.all([
        claimLease(store.db, action, request('worker-a')),
        claimLease(other.db, action, request('worker-b')),
      ]);
      const loser = claims.find((claim) => !claim.claimed);
      expect(loser).toMatchObject({ claimed: false, state: 'leased' });
    });

    it('records the winner as owner', async () => {
      const [first] = await Promise.all([
        claimLease(store.db, action, request('worker-a')),
        claimLease(other.db, action, request('worker-b')),
      ]);
      const winner = first?.claimed ? 'worker-a' : 'worker-b';
      expect((await getOutboxRow(store.db, key)).lease_owner).toBe(winner);
    });

    it('lets one of ten win', async () => {
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          claimLease(index % 2 ? other.db : store.db, action, request(`worker-${index}`)),
        ),
      );
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    });
  });

  describe('an expired lease', () => {
    it('is kept until it expires', async () => {
      await claimLease(store.db, action, request('dead'));
      const early = await claimLease(store.db, action, request('next', testNow + leaseMs - 1));
      expect(early.claimed).toBe(false);
    });

    it('is taken over after it expires', async () => {
      await claimLease(store.db, action, request('dead'));
      const late = await claimLease(store.db, action, request('next', testNow + leaseMs));
      expect(late).toMatchObject({ claimed: true, attempts: 2, interrupted: null });
    });

    it('reports a send the dead owner started', async () => {
      await claimLease(store.db, action, request('dead'));
      expect(markSendStarted(store, key, 'dead', testNow + 10)).toBe(true);
      const late = await claimLease(store.db, action, request('next', testNow + 2 * leaseMs));
      expect(late).toMatchObject({
        claimed: true,
        interrupted: { previousOwner: 'dead', sendStartedAt: testNow + 10 },
      });
    });

    it('reports a hand-over of the dead owner', async () => {
      await claimLease(store.db, action, request('dead'));
      markSendStarted(store, key, 'dead', testNow + 10);
      expect(markHandedOver(store, key, 'dead', testNow + 20)).toBe(true);
      const late = await claimLease(store.db, action, request('next', testNow + 2 * leaseMs));
      expect(late).toMatchObject({ interrupted: { handedOverAt: testNow + 20 } });
    });

    it('ignores a hand-over by an old owner', async () => {
      await claimLease(store.db, action, request('slow'));
      await claimLease(store.db, action, request('next', testNow + leaseMs));
      expect(markHandedOver(store, key, 'slow', testNow + leaseMs + 1)).toBe(false);
    });

    it('stops the old owner from sending', async () => {
      await claimLease(store.db, action, request('slow'));
      await claimLease(store.db, action, request('next', testNow + leaseMs));
      expect(markSendStarted(store, key, 'slow', testNow + leaseMs + 1)).toBe(false);
    });

    it('stops an owner past its own expiry from sending', async () => {
      await claimLease(store.db, action, request('slow'));
      expect(markSendStarted(store, key, 'slow', testNow + leaseMs)).toBe(false);
    });

    it('is not expired when renewed', async () => {
      await claimLease(store.db, action, request('live'));
      expect(await renewLease(store.db, key, 'live', testNow + 5 * leaseMs)).toBe(true);
      const next = await claimLease(store.db, action, request('next', testNow + 2 * leaseMs));
      expect(next.claimed).toBe(false);
    });
  });

  describe('a sent row', () => {
    beforeEach(async () => {
      await claimLease(store.db, action, request('owner'));
      markSendStarted(store, key, 'owner', testNow + 1);
    });

    it('is recorded under the owner', () => {
      expect(markSentSync(store, key, 'owner', testNow + 2)).toBe('owner');
    });

    it('drops the lease', async () => {
      markSentSync(store, key, 'owner', testNow + 2);
      expect((await getOutboxRow(store.db, key)).lease_owner).toBeNull();
    });

    it('is never claimed again', async () => {
      markSentSync(store, key, 'owner', testNow + 2);
      const later = await claimLease(store.db, action, request('next', testNow + 10 * leaseMs));
      expect(later).toMatchObject({ claimed: false, state: 'finished' });
    });

    it('is recorded after the lease was lost', async () => {
      await claimLease(store.db, action, request('next', testNow + leaseMs));
      expect(markSentSync(store, key, 'owner', testNow + leaseMs + 1)).toBe('lease-lost');
    });

    it('blocks the new owner once recorded late', async () => {
      await claimLease(store.db, action, request('next', testNow + leaseMs));
      markSentSync(store, key, 'owner', testNow + leaseMs + 1);
      expect(markSendStarted(store, key, 'next', testNow + leaseMs + 2)).toBe(false);
    });
  });

  describe('a released lease', () => {
    beforeEach(async () => {
      await claimLease(store.db, action, request('owner'));
      markSendStarted(store, key, 'owner', testNow + 1);
    });

    it('is claimed again at once', async () => {
      await releaseLease(store.db, key, 'owner', { reason: 'timeout', clearSendMark: false });
      const next = await claimLease(store.db, action, request('next', testNow + 2));
      expect(next.claimed).toBe(true);
    });

    it('keeps an unknown outcome as interrupted', async () => {
      await releaseLease(store.db, key, 'owner', { reason: 'timeout', clearSendMark: false });
      const next = await claimLease(store.db, action, request('next', testNow + 2));
      expect(next).toMatchObject({ interrupted: { sendStartedAt: testNow + 1 } });
    });

    it('clears a known outcome', async () => {
      await releaseLease(store.db, key, 'owner', { reason: '421 busy', clearSendMark: true });
      const next = await claimLease(store.db, action, request('next', testNow + 2));
      expect(next).toMatchObject({ claimed: true, interrupted: null });
    });

    it('clears the hand-over of a known outcome', async () => {
      markHandedOver(store, key, 'owner', testNow + 2);
      await releaseLease(store.db, key, 'owner', { reason: '451 later', clearSendMark: true });
      expect((await getOutboxRow(store.db, key)).handed_over_at).toBeNull();
    });
  });
});
