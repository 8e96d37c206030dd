import { closeClearedTasks } from '../../src/delivery/tasks';
import { createUnsubscribeToken } from '../../src/delivery/unsubscribe';
import { createDeliveryQueries } from '../../src/service/delivery-queries';
import { createFeedbackRouter } from '../../src/service/feedback-router';
import { silentLogger } from '../../src/logger';
import type { Store } from '../../src/store/database';
import { createTestApi, request, seedAccount, send, type TestApi } from './helpers';

const secret = 'unsubscribe-secret-for-tests-0123456789';
const now = Date.parse('2026-12-04T12:00:00Z');

async function insertNotice(store: Store, id: string, userId: string): Promise<void> {
  await store.db
    .insertInto('notices')
    .values({
      id,
      account_id: 'acme',
      user_id: userId,
      rule_id: 'new-feature-not-tried',
      title: 'Try Export',
      body: 'Export is new.',
      created_at: now - 1000,
      read_at: null,
      dismissed_at: null,
    })
    .execute();
}

async function insertTask(store: Store, id: string, owner: string, ruleId: string): Promise<void> {
  await store.db
    .insertInto('tasks')
    .values({
      id,
      account_id: 'acme',
      rule_id: ruleId,
      owner,
      title: 'Call Acme',
      description: 'Activity is falling.',
      priority: 'high',
      due_at: now + 86_400_000,
      evidence: JSON.stringify({ usageTrend: 0.4 }),
      status: 'open',
      snoozed_until: null,
      created_at: now - 1000,
      completed_at: null,
    })
    .execute();
}

function createInboxApi(): Promise<TestApi> {
  return createTestApi((store) => {
    const delivery = createDeliveryQueries(store, secret, () => now);
    return {
      delivery,
      isEarlyAdopter: async (accountId, feature) => accountId === 'acme' && feature === 'reports',
      routeFeedback: createFeedbackRouter({
        store,
        productOwner: 'product-team',
        createTask: delivery.createTask,
        logger: silentLogger,
        now: () => now,
      }),
    };
  });
}

describe('notice routes', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createInboxApi();
    await seedAccount(api);
    await insertNotice(api.store, 'n1', 'u1');
    await insertNotice(api.store, 'n2', 'u1');
  });
  afterEach(() => api.close());

  it('lists unread notices', async () => {
    const response = await send(api, 'GET', '/v1/users/u1/notices');
    expect(response.statusCode).toBe(200);
    expect(
      response
        .json()
        .notices.map((notice: { id: string }) => notice.id)
        .sort(),
    ).toEqual(['n1', 'n2']);
  });

  it('drops a read notice from the unread list', async () => {
    const read = await send(api, 'POST', '/v1/users/u1/notices/n1/read');
    expect(read.statusCode).toBe(200);
    const list = await send(api, 'GET', '/v1/users/u1/notices');
    expect(list.json().notices.map((notice: { id: string }) => notice.id)).toEqual(['n2']);
  });

  it('keeps a read notice with all=true', async () => {
    await send(api, 'POST', '/v1/users/u1/notices/n1/read');
    const list = await send(api, 'GET', '/v1/users/u1/notices?all=true');
    expect(list.json().notices).toHaveLength(2);
  });

  it('dismisses a notice', async () => {
    await send(api, 'POST', '/v1/users/u1/notices/n2/dismiss');
    const list = await send(api, 'GET', '/v1/users/u1/notices?all=true');
    expect(list.json().notices.map((notice: { id: string }) => notice.id)).toEqual(['n1']);
  });

  it('answers 404 for another user’s notice', async () => {
    const response = await send(api, 'POST', '/v1/users/u2/notices/n1/read');
    expect(response.statusCode).toBe(404);
    expect(response.json().field).toBe('noticeId');
  });

  it('answers 404 for an unknown user', async () => {
    const response = await send(api, 'GET', '/v1/users/nobody/notices');
    expect(response.statusCode).toBe(404);
    expect(response.json().field).toBe('userId');
  });

  it('rejects a bad all flag', async () => {
    const response = await send(api, 'GET', '/v1/users/u1/notices?all=maybe');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('querystring.all');
  });
});

describe('task routes', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createInboxApi();
    await seedAccount(api);
    await insertTask(api.store, 't1', 'csm-1', 'activity-falling');
    await insertTask(api.store, 't2', 'csm-2', 'renewal-90-behind');
  });
  afterEach(() => api.close());

  it('gives the reason of an automatic close', async () => {
    await closeClearedTasks(api.store, { accountId: 'acme', firedRuleIds: [], at: now });
    const response = await send(api, 'GET', '/v1/tasks?owner=csm-1&status=done');
    expect(response.json().tasks[0].closedReason).toContain('activity-falling no longer fired');
  });

  it('filters by owner', async () => {
    const response = await send(api, 'GET', '/v1/tasks?owner=csm-1');
    expect(response.json().tasks.map((task: { id: string }) => task.id)).toEqual(['t1']);
    expect(response.json().tasks[0].evidence).toEqual({ usageTrend: 0.4 });
  });

  it('completes a task', async () => {
    const done = await send(api, 'POST', '/v1/tasks/t1/complete');
    expect(done.statusCode).toBe(200);
    const open = await send(api, 'GET', '/v1/tasks?status=open');
    expect(open.json().tasks.map((task: { id: string }) => task.id)).toEqual(['t2']);
    const finished = await send(api, 'GET', '/v1/tasks?status=done');
    expect(finished.json().tasks.map((task: { id: string }) => task.id)).toEqual(['t1']);
  });

  it('snoozes a task', async () => {
    const response = await send(api, 'POST', '/v1/tasks/t2/snooze', {
      until: '2026-12-10T09:00:00Z',
    });
    expect(response.statusCode).toBe(200);
    const snoozed = await send(api, 'GET', '/v1/tasks?status=snoozed');
    expect(snoozed.json().tasks.map((task: { id: string }) => task.id)).toEqual(['t2']);
  });

  it('rejects snoozing a done task', async () => {
    await send(api, 'POST', '/v1/tasks/t2/complete');
    const response = await send(api, 'POST', '/v1/tasks/t2/snooze', {
      until: '2026-12-10T09:00:00Z',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().field).toBe('taskId');
    expect(response.json().message).toContain('task "t2" has status "done"');
    const done = await send(api, 'GET', '/v1/tasks?status=done');
    expect(done.json().tasks[0].snoozedUntil).toBeNull();
  });

  it('rejects completing a done task', async () => {
    await send(api, 'POST', '/v1/tasks/t2/complete');
    const response = await send(api, 'POST', '/v1/tasks/t2/complete');
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain('cannot be completed');
  });

  it('rejects a snooze in the past', async () => {
    const response = await send(api, 'POST', '/v1/tasks/t2/snooze', {
      until: '2020-01-01T00:00:00Z',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('until');
  });

  it('rejects a snooze without until', async () => {
    const response = await send(api, 'POST', '/v1/tasks/t2/snooze', {});
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('until');
  });

  it('answers 404 for an unknown task', async () => {
    const response = await send(api, 'POST', '/v1/tasks/t9/complete');
    expect(response.statusCode).toBe(404);
    expect(response.json().field).toBe('taskId');
  });

  it('rejects an unknown status', async () => {
    const response = await send(api, 'GET', '/v1/tasks?status=lost');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('querystring.status');
  });
});

describe('unsubscribe routes', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createInboxApi();
    await seedAccount(api);
  });
  afterEach(() => api.close());

  const open = { authorization: '' };

  it('shows a confirmation page', async () => {
    const token = createUnsubscribeToken('u1', secret);
    const response = await request(api, 'GET', `/v1/unsubscribe?token=${token}`, { headers: open });
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.body).toContain('<form method="post"');
  });

  it('unsubscribes with a one-click POST', async () => {
    const token = createUnsubscribeToken('u1', secret);
    const response = await request(api, 'POST', `/v1/unsubscribe?token=${token}`, {
      body: 'List-Unsubscribe=One-Click',
      headers: { ...open, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(200);
    const user = await api.store.db
      .selectFrom('users')
      .select('subscribed')
      .where('id', '=', 'u1')
      .executeTakeFirstOrThrow();
    expect(user.subscribed).toBe(0);
  });

  it('rejects an altered token', async () => {
    const token = createUnsubscribeToken('u1', secret).replace(
      /^[^.]+/,
      Buffer.from('u2').toString('base64url'),
    );
    const response = await request(api, 'POST', `/v1/unsubscribe?token=${token}`, {
      headers: open,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('token');
    const user = await api.store.db
      .selectFrom('users')
      .select('subscribed')
      .where('id', '=', 'u2')
      .executeTakeFirstOrThrow();
    expect(user.subscribed).toBe(1);
  });

  describe('an altered link in a browser', () => {
    const browser = { ...open, accept: 'text/html,application/xhtml+xml' };
    const altered = () => `${createUnsubscribeToken('u1', secret)}x`;

    it('answers 400', async () => {
      const response = await request(api, 'GET', `/v1/unsubscribe?token=${altered()}`, {
        headers: browser,
      });
      expect(response.statusCode).toBe(400);
    });

    it('answers with a page', async () => {
      const response = await request(api, 'GET', `/v1/unsubscribe?token=${altered()}`, {
        headers: browser,
      });
      expect(response.headers.get('content-type')).toContain('text/html');
    });

    it('says what to do', async () => {
      const response = await request(api, 'POST', `/v1/unsubscribe?token=${altered()}`, {
        headers: browser,
      });
      expect(response.body).toContain('Open the link from the email again');
    });
  });

  it('rejects a missing token', async () => {
    const response = await request(api, 'GET', '/v1/unsubscribe', { headers: open });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('querystring.token');
  });

  it('answers 404 for a deleted user', async () => {
    const token = createUnsubscribeToken('gone', secret);
    const response = await request(api, 'POST', `/v1/unsubscribe?token=${token}`, {
      headers: open,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('POST /v1/feedback', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createInboxApi();
    await seedAccount(api);
  });
  afterEach(() => api.close());

  const item = {
    id: 'f1',
    accountId: 'acme',
    userId: 'u1',
    kind: 'idea',
    feature: 'reports',
    body: 'Add charts',
  };

  it('marks early adopters and creates a task', async () => {
    const response = await send(api, 'POST', '/v1/feedback', {
      feedback: [item, { ...item, id: 'f2', feature: 'export' }],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 2, earlyAdopter: ['f1'], routed: 2 });
    const tasks = await send(api, 'GET', '/v1/tasks?owner=product-team');
    const titles = tasks
      .json()
      .tasks.map((task: { title: string }) => task.title)
      .sort();
    expect(titles).toEqual([
      'Idea on export from acme',
      'Idea on reports from acme [early adopter]',
    ]);
  });

  it('stamps routed feedback', async () => {
    await send(api, 'POST', '/v1/feedback', { feedback: [item] });
    const row = await api.store.db.selectFrom('feedback').selectAll().executeTakeFirstOrThrow();
    expect(row.early_adopter).toBe(1);
    expect(row.routed_at).toBe(now);
  });

  it('rejects an unknown kind', async () => {
    const response = await send(api, 'POST', '/v1/feedback', {
      feedback: [{ ...item, kind: 'rant' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('feedback[0].kind');
  });

  it('rejects an unknown feature', async () => {
    const response = await send(api, 'POST', '/v1/feedback', {
      feedback: [{ ...item, feature: 'warp' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('feedback[0].feature');
  });
});
