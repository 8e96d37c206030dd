import { decide } from '../../src/lifecycle';
import { context, dayMs, emailAction, evaluation, rule, start, state, user } from './fixtures';

describe('decide', () => {
  it('plans an email per audience user', () => {
    const decision = decide(state(), evaluation(rule('r1')), context(), start);
    expect(decision.planned.map((action) => action.recipient)).toEqual(['u1', 'u2']);
  });

  it('builds the idempotency key', () => {
    const decision = decide(state(), evaluation(rule('r1')), context(), start);
    expect(decision.planned[0]?.idempotencyKey).toBe('account-a1:1:r1:u1');
  });

  it('puts the chain id in the key', () => {
    const decision = decide(state({ chainId: 'c1' }), evaluation(rule('r1')), context(), start);
    expect(decision.planned[0]?.idempotencyKey).toBe('account-a1:c1:1:r1:u1');
  });

  it('keys differ between chains', () => {
    const first = decide(state({ chainId: 'aaa' }), evaluation(rule('r1')), context(), start);
    const second = decide(state({ chainId: 'bbb' }), evaluation(rule('r1')), context(), start);
    expect(first.planned[0]?.idempotencyKey).not.toBe(second.planned[0]?.idempotencyKey);
  });

  it('keeps the chain id in the state', () => {
    const decision = decide(state({ chainId: 'c1' }), evaluation(rule('r1')), context(), start);
    expect(decision.state.chainId).toBe('c1');
  });

  it('keeps keys unique for two actions to one user', () => {
    const notice = { type: 'notice' as const, template: 'n', params: {} };
    const fired = rule('r1', { actions: [notice, emailAction()] });
    const keys = decide(state(), evaluation(fired), context(), start).planned.map(
      (action) => action.idempotencyKey,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('filters the audience by role', () => {
    const fired = rule('r1', { audience: { users: { roles: ['admin'] } } });
    const decision = decide(state(), evaluation(fired), context(), start);
    expect(decision.planned.map((action) => action.recipient)).toEqual(['u2']);
  });

  it('filters the audience by cadence', () => {
    const facts = {
      onboardingCompletion: 0,
      daysToRenewal: 300,
      userCadence: [
        {
          userId: 'u1',
          role: 'member',
          activeDaysPerWeek: 1,
          expectedDaysPerWeek: 3,
          meetsCadence: false,
        },
        {
          userId: 'u2',
          role: 'admin',
          activeDaysPerWeek: 4,
          expectedDaysPerWeek: 3,
          meetsCadence: true,
        },
      ],
    };
    const fired = rule('r1', { audience: { users: { belowCadence: true } } });
    const decision = decide(state(), evaluation(fired), context({ facts }), start);
    expect(decision.planned.map((action) => action.recipient)).toEqual(['u1']);
  });

  it('sends tasks to the CSM', () => {
    const task = { type: 'task' as const, template: 't', params: {} };
    const decision = decide(state(), evaluation(rule('r1', { actions: [task] })), context(), start);
    expect(decision.planned.map((action) => action.recipient)).toEqual(['csm-1']);
  });

  it('holds a task without CSM owner', () => {
    const task = { type: 'task' as const, template: 't', params: {} };
    const fired = rule('r1', { actions: [task] });
    const decision = decide(state(), evaluation(fired), context({ csmOwner: null }), start);
    expect(decision.held[0]?.reason).toBe('account has no CSM owner');
  });

  it('skips unsubscribed users', () => {
    const users = [user('u1', { subscribed: false })];
    const decision = decide(state(), evaluation(rule('r1')), context({ users }), start);
    expect(decision.held).toEqual([{ ruleId: 'r1', recipient: 'u1', reason: 'user unsubscribed' }]);
  });

  it('holds an audience without users', () => {
    const decision = decide(state(), evaluation(rule('r1')), context({ users: [] }), start);
    expect(decision.held).toEqual([
      {
        ruleId: 'r1',
        recipient: 'users',
        reason: 'no user matches the audience (all users of the account)',
      },
    ]);
    expect(decision.planned).toEqual([]);
  });

  it('names the roles nobody has', () => {
    const fired = rule('r1', { audience: { users: { roles: ['owner'] } } });
    const decision = decide(state(), evaluation(fired), context(), start);
    expect(decision.held.map((held) => held.reason)).toEqual([
      'no user matches the audience (roles: owner)',
    ]);
  });

  it('names the cadence filter', () => {
    const fired = rule('r1', { audience: { users: { roles: ['admin'], belowCadence: true } } });
    const decision = decide(state(), evaluation(fired), context(), start);
    expect(decision.held.map((held) => held.reason)).toEqual([
      'no user matches the audience (roles: admin and below their login cadence)',
    ]);
  });

  it('holds a notice audience without users', () => {
    const notice = { type: 'notice' as const, template: 'n', params: {} };
    const fired = rule('r1', { actions: [notice] });
    const decision = decide(state(), evaluation(fired), context({ users: [] }), start);
    expect(decision.held).toHaveLength(1);
    expect(decision.state.rules.r1).toBeUndefined();
  });

  it('holds an email without address', () => {
    const users = [user('u1', { email: null }), user('u2', { email: ' ' })];
    const decision = decide(state(), evaluation(rule('r1')), context({ users }), start);
    expect(decision.held).toEqual([
      { ruleId: 'r1', recipient: 'u1', reason: 'user has no email address' },
      { ruleId: 'r1', recipient: 'u2', reason: 'user has no email address' },
    ]);
    expect(decision.planned).toEqual([]);
  });

  it('spends no cap or cooldown without address', () => {
    const users = [user('u1', { email: null })];
    const fired = rule('r1', { cooldownDays: 14 });
    const decision = decide(state(), evaluation(fired), context({ users }), start);
    expect(decision.state.sent).toEqual([]);
    expect(decision.state.rules.r1).toBeUndefined();
  });

  it('sends a notice without address', () => {
    const notice = { type: 'notice' as const, template: 'n', params: {} };
    const users = [user('u1', { email: null })];
    const fired = rule('r1', { actions: [notice] });
    const decision = decide(state(), evaluation(fired), context({ users }), start);
    expect(decision.planned.map((action) => action.recipient)).toEqual(['u1']);
  });

  it('holds a rule in cooldown', () => {
    const fired = rule('r1', { cooldownDays: 14 });
    const first = decide(state(), evaluation(fired), context(), start);
    const second = decide(
      first.state,
      evaluation(fired),
      context({ checkNumber: 2 }),
      start + 7 * dayMs,
    );
    expect(second.planned).toHaveLength(0);
    expect(second.held[0]?.reason).toMatch(/^cooldown of 14 days/);
  });

  it('acts again after the cooldown', () => {
    const fired = rule('r1', { cooldownDays: 14 });
    const first = decide(state(), evaluation(fired), context(), start);
    const later = decide(
      first.state,
      evaluation(fired),
      context({ checkNumber: 2 }),
      start + 15 * dayMs,
    );
    expect(later.planned).toHaveLength(2);
  });

  it('stops at the per-term limit', () => {
    const fired = rule('r1', { limitPerTerm: 1 });
    const first = decide(state(), evaluation(fired), context(), start);
    const second = decide(
      first.state,
      evaluation(fired),
      context({ checkNumber: 2 }),
      start + 30 * dayMs,
    );
    expect(second.held[0]?.reason).toBe('limit of 1 per term reached');
  });

  it('caps messages per user', () => {
    const rules = ['r1', 'r2', 'r3', 'r4'].map((id) => rule(id));
    const users = [user('u1')];
    const decision = decide(state(), evaluation(...rules), context({ users }), start);
    expect(decision.planned).toHaveLength(3);
    expect(decision.held[0]?.reason).toBe('user cap of 3 per 7 days reached');
  });

  it('caps messages per account', () => {
    const users = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => user(id));
    const rules = ['r1', 'r2'].map((id) => rule(id));
    const policy = { perAccountCap: { max: 8, windowDays: 7 } };
    const decision = decide(state(), evaluation(...rules), context({ users, policy }), start);
    expect(decision.planned).toHaveLength(8);
    expect(decision.held).toHaveLength(4);
  });

  it('gives capped slots to higher priority', () => {
    const users = [user('u1')];
    const policy = { perUserCap: { max: 1, windowDays: 7 } };
    const low = rule('low', { priority: 1 });
    const high = rule('high', { priority: 9 });
    const decision = decide(state(), evaluation(low, high), context({ users, policy }), start);
    expect(decision.planned[0]?.ruleId).toBe('high');
  });

  it('delays emails in quiet hours', () => {
    const lateEvening = Date.UTC(2026, 0, 5, 22, 30);
    const users = [user('u1', { timezone: 'UTC' })];
    const decision = decide(state(), evaluation(rule('r1')), context({ users }), lateEvening);
    expect(decision.planned[0]?.notBefore).toBe(Date.UTC(2026, 0, 6, 8, 0));
  });

  it('uses the recipient time zone', () => {
    // 14:00 UTC is 23:00 in Tokyo, inside quiet hours there.
    const afternoon = Date.UTC(2026, 0, 5, 14, 0);
    const users = [user('u1', { timezone: 'Asia/Tokyo' })];
    const decision = decide(state(), evaluation(rule('r1')), context({ users }), afternoon);
    expect(decision.planned[0]?.notBefore).toBe(Date.UTC(2026, 0, 5, 23, 0));
  });

  it('names the quiet hours wait', () => {
    const afternoon = Date.UTC(2026, 0, 5, 14, 0);
    const users = [user('u1', { timezone: 'Asia/Tokyo' })];
    const decision = decide(state(), evaluation(rule('r1')), context({ users }), afternoon);
    expect(decision.planned[0]?.wait).toBe(
      'quiet hours in Asia/Tokyo until 2026-01-06T08:00:00+09:00',
    );
  });

  it('names no wait outside quiet hours', () => {
    const decision = decide(state(), evaluation(rule('r1')), context(), start);
    expect(decision.planned[0]?.wait).toBeUndefined();
  });

  it('names UTC for an unknown zone', () => {
    const lateEvening = Date.UTC(2026, 0, 5, 22, 30);
    const users = [user('u1', { timezone: 'Mars/Olympus' })];
    const decision = decide(state(), evaluation(rule('r1')), context({ users }), lateEvening);
    expect(decision.planned[0]?.wait).toBe('quiet hours in UTC until 2026-01-06T08:00:00+00:00');
  });

  it('holds out accounts by hash', () => {
    const fired = rule('r1', { holdoutShare: 1 });
    const decision = decide(state(), evaluation(fired), context(), start);
    expect(decision.held[0]?.reason).toBe('holdout group (100% of accounts)');
  });

  it('does not change its input', () => {
    const before = state();
    const copy = JSON.parse(JSON.stringify(before));
    decide(before, evaluation(rule('r1')), context(), start);
    expect(before).toEqual(copy);
  });
});
