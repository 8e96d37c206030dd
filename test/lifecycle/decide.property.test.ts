import fc from 'fast-check';
import type { ActionType } from '../../src/actions/types';
import { decide } from '../../src/lifecycle';
import type { DecisionContext, FiredRule, LifecycleState } from '../../src/lifecycle';
import { context, dayMs, start, state, user } from './fixtures';

const actionType = fc.constantFrom<ActionType>('email', 'notice', 'task', 'webhook');

const firedRule = fc.record({
  id: fc.stringMatching(/^[a-z]{1,6}$/),
  priority: fc.integer({ min: 0, max: 10 }),
  actions: fc.array(
    actionType.map((type) => ({ type, template: 't', params: {} })),
    { minLength: 1, maxLength: 3 },
  ),
  cooldownDays: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  limitPerTerm: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  holdoutShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
});

const rules = fc.uniqueArray(firedRule, { selector: (rule) => rule.id, maxLength: 8 });

const users = fc
  .uniqueArray(
    fc.record({
      id: fc.stringMatching(/^u[0-9]{1,3}$/),
      subscribed: fc.boolean(),
      timezone: fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York', 'Not/AZone'),
    }),
    { selector: (entry) => entry.id, minLength: 1, maxLength: 6 },
  )
  .map((entries) => entries.map((entry) => user(entry.id, entry)));

const caps = fc.record({
  perUserCap: fc.record({ max: fc.integer({ min: 0, max: 4 }), windowDays: fc.constant(7) }),
  perAccountCap: fc.record({ max: fc.integer({ min: 0, max: 10 }), windowDays: fc.constant(7) }),
});

const moment = fc.integer({ min: 0, max: 400 * 24 }).map((hours) => start + hours * 3_600_000);

function messagesToUsers(planned: { type: string }[]): number {
  return planned.filter((action) => action.type === 'email' || action.type === 'notice').length;
}

describe('decide properties', () => {
  it('never exceeds the caps', () => {
    fc.assert(
      fc.property(rules, users, caps, moment, (fired: FiredRule[], recipients, policy, now) => {
        const ctx: DecisionContext = context({ users: recipients, policy });
        const decision = decide(state(), { ruleSetVersion: 'v', fired }, ctx, now);
        const perUser = new Map<string, number>();
        for (const action of decision.planned) {
          if (action.type !== 'email' && action.type !== 'notice') continue;
          perUser.set(action.recipient, (perUser.get(action.recipient) ?? 0) + 1);
        }
        expect(Math.max(0, ...perUser.values())).toBeLessThanOrEqual(policy.perUserCap.max);
        expect(messagesToUsers(decision.planned)).toBeLessThanOrEqual(policy.perAccountCap.max);
      }),
    );
  });

  it('counts earlier checks against the caps', () => {
    fc.assert(
      fc.property(rules, users, caps, moment, (fired, recipients, policy, now) => {
        const ctx = context({ users: recipients, policy });
        const first = decide(state(), { ruleSetVersion: 'v', fired }, ctx, now);
        const second = decide(
          first.state,
          { ruleSetVersion: 'v', fired },
          { ...ctx, checkNumber: 2 },
          now + dayMs,
        );
        const total = messagesToUsers(first.planned) + messagesToUsers(second.planned);
        expect(total).toBeLessThanOrEqual(policy.perAccountCap.max);
      }),
    );
  });

  it('gives every held action a reason', () => {
    fc.assert(
      fc.property(rules, users, caps, moment, (fired, recipients, policy, now) => {
        const decision = decide(
          state(),
          { ruleSetVersion: 'v', fired },
          context({ users: recipients, policy }),
          now,
        );
        for (const held of decision.held) expect(held.reason.length).toBeGreaterThan(0);
      }),
    );
  });

  it('returns the same output for the same input', () => {
    fc.assert(
      fc.property(rules, users, caps, moment, (fired, recipients, policy, now) => {
        const ctx = context({ users: recipients, policy });
        const before: LifecycleState = state();
        const first = decide(before, { ruleSetVersion: 'v', fired }, ctx, now);
        const reversed = { ruleSetVersion: 'v', fired: [...fired].reverse() };
        const second = decide(before, reversed, ctx, now);
        expect(second).toEqual(first);
      }),
    );
  });

  it('never delivers before now', () => {
    fc.assert(
      fc.property(rules, users, moment, (fired, recipients, now) => {
        const decision = decide(
          state(),
          { ruleSetVersion: 'v', fired },
          context({ users: recipients }),
          now,
        );
        for (const action of decision.planned) {
          expect(action.notBefore).toBeGreaterThanOrEqual(now);
          expect(action.notBefore - now).toBeLessThan(dayMs);
        }
      }),
    );
  });

  it('keeps idempotency keys unique', () => {
    fc.assert(
      fc.property(rules, users, moment, (fired, recipients, now) => {
        const decision = decide(
          state(),
          { ruleSetVersion: 'v', fired },
          context({ users: recipients }),
          now,
        );
        const keys = decision.planned.map((action) => action.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});
