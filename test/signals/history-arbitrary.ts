import fc from 'fast-check';
import type { AccountHistory } from '../../src/signals/history';
import { dayMs } from '../../src/store/time';
import {
  at,
  contract,
  emptyHistory,
  feature,
  goal,
  milestone,
  ticket,
  usage,
  user,
} from './history-builder';

/**
 * An instant from 60 days before to 400 days after the term start, so that
 * asOf instants land before, inside and after the generated rows.
 */
export const instant = fc.integer({ min: at(-60), max: at(400) });
const maybeInstant = fc.option(instant, { nil: null });
const roles = fc.constantFrom('admin', 'payroll_admin', 'manager', 'user', 'analyst', 'auditor');
const userIds = fc.constantFrom('u1', 'u2', 'u3', '');
const featureKeys = fc.constantFrom('a', 'b', 'c', 'd', '');

const usageRow = fc
  .record({
    day: fc.integer({ min: -60, max: 400 }),
    userId: userIds,
    featureKey: featureKeys,
    count: fc.integer({ min: 0, max: 50 }),
  })
  .map((row) => usage(row.day, row.userId, row.featureKey, row.count));

/** A random account history with rows before, inside and after its terms. */
export const history: fc.Arbitrary<AccountHistory> = fc
  .record({
    users: fc.array(fc.tuple(fc.constantFrom('u1', 'u2', 'u3'), roles, instant), { maxLength: 3 }),
    contracts: fc.array(
      fc.tuple(instant, fc.integer({ min: 1, max: 400 }), fc.option(fc.nat(5), { nil: null })),
      {
        maxLength: 3,
      },
    ),
    features: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), maybeInstant, fc.boolean()), {
      maxLength: 4,
    }),
    usageDaily: fc.array(usageRow, { maxLength: 60 }),
    milestones: fc.array(fc.tuple(maybeInstant, maybeInstant), { maxLength: 4 }),
    goals: fc.array(maybeInstant, { maxLength: 3 }),
    tickets: fc.array(fc.tuple(instant, maybeInstant), { maxLength: 6 }),
  })
  .map((parts) => ({
    ...emptyHistory(),
    // Created at the earliest generated instant, since signals before creation are an error.
    account: { ...emptyHistory().account, created_at: at(-60) },
    users: parts.users.map(([id, role, createdAt], index) =>
      user(`${id}-${index}`, role, createdAt),
    ),
    contracts: parts.contracts.map(([startAt, days, seats], index) =>
      contract(index + 1, startAt, startAt + days * dayMs, seats),
    ),
    features: parts.features.map(([key, releasedAt, isKey], index) =>
      feature(`${key}${index}`, releasedAt, isKey),
    ),
    usageDaily: parts.usageDaily,
    milestones: parts.milestones.map(([dueAt, doneAt], index) =>
      milestone(`m${index}`, dueAt, doneAt),
    ),
    goals: parts.goals.map((metAt, index) => goal(`g${index}`, metAt)),
    tickets: parts.tickets.map(([openedAt, closedAt], index) =>
      ticket(`t${index}`, openedAt, closedAt),
    ),
  }));
