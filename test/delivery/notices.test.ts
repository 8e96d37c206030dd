import type { DeliveryDeps } from '../../src/delivery/config';
import { createMailTransport } from '../../src/delivery/mail-transport';
import {
  deliverNotice,
  dismissNotice,
  listNotices,
  markNoticeRead,
} from '../../src/delivery/notices';
import { getOutboxRow } from '../../src/delivery/outbox';
import type { Store } from '../../src/store/database';
import { createDeps, createTestStore, plannedAction, testNow } from './helpers/store';

describe('notices', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let deps: DeliveryDeps;

  const notice = (key: string) =>
    plannedAction('notice', {
      idempotencyKey: key,
      ruleId: 'new-feature-not-tried',
      template: 'new-feature',
      evidence: { newFeaturesNotTried: ['ai-summary'] },
    });

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    deps = createDeps(store, createMailTransport({ outboxDir: dir }));
  });

  afterEach(async () => {
    await cleanup();
  });

  it('stores the rendered notice', async () => {
    const result = await deliverNotice(deps, notice('n1'));
    const [stored] = await listNotices(store, 'u-ada');
    expect(result.status).toBe('sent');
    expect(stored?.title).toBe('New: AI summaries');
    expect(stored?.body).toContain('AI summaries: https://app.vendor.test/features/ai-summary');
  });

  it('stores once for the same key', async () => {
    await deliverNotice(deps, notice('n1'));
    const second = await deliverNotice(deps, notice('n1'));
    expect(second.status).toBe('duplicate');
    expect(await listNotices(store, 'u-ada')).toHaveLength(1);
  });

  it('records the notice id in the outbox', async () => {
    await deliverNotice(deps, notice('n1'));
    const [stored] = await listNotices(store, 'u-ada');
    expect((await getOutboxRow(store.db, 'n1')).message_id).toBe(stored?.id);
  });

  it('fails for an unknown user', async () => {
    const result = await deliverNotice(deps, { ...notice('n2'), recipient: 'u-ghost' });
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('user u-ghost not found in account acc-1');
    expect((await getOutboxRow(store.db, 'n2')).status).toBe('failed');
  });

  it('fails on a missing variable', async () => {
    const result = await deliverNotice(deps, { ...notice('n3'), evidence: {} });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('notice/new-feature.hbs');
  });

  it('lists unread only on request', async () => {
    await deliverNotice(deps, notice('n1'));
    await deliverNotice(deps, notice('n2'));
    const [first] = await listNotices(store, 'u-ada');
    await markNoticeRead(store, first?.id ?? '', { userId: 'u-ada', now: testNow });
    expect(await listNotices(store, 'u-ada')).toHaveLength(2);
    expect(await listNotices(store, 'u-ada', { unread: true })).toHaveLength(1);
  });

  it('keeps the first read time', async () => {
    await deliverNotice(deps, notice('n1'));
    const [stored] = await listNotices(store, 'u-ada');
    await markNoticeRead(store, stored?.id ?? '', { now: testNow });
    const again = await markNoticeRead(store, stored?.id ?? '', { now: testNow + 1000 });
    expect(again?.read_at).toBe(testNow);
  });

  it('hides dismissed notices', async () => {
    await deliverNotice(deps, notice('n1'));
    const [stored] = await listNotices(store, 'u-ada');
    const dismissed = await dismissNotice(store, stored?.id ?? '', {
      userId: 'u-ada',
      now: testNow,
    });
    expect(dismissed?.dismissed_at).toBe(testNow);
    expect(await listNotices(store, 'u-ada')).toHaveLength(0);
  });

  it("does not touch another user's notice", async () => {
    await deliverNotice(deps, notice('n1'));
    const [stored] = await listNotices(store, 'u-ada');
    expect(await markNoticeRead(store, stored?.id ?? '', { userId: 'u-bob' })).toBeUndefined();
    expect(await listNotices(store, 'u-ada', { unread: true })).toHaveLength(1);
  });
});
