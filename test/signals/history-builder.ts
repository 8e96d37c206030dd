import type { AccountHistory, UsageDay } from '../../src/signals/history';
import type { Contract, Feature, Goal, Milestone, Ticket, User } from '../../src/store/schema';
import { dayMs, toEpochDay } from '../../src/store/time';

/** 2026-03-02T00:00:00Z: the term start of the hand-built account. */
export const termStart = Date.UTC(2026, 2, 2);
/** Day number of `termStart`. */
export const startDay = toEpochDay(termStart);

/** Returns the instant `days` days (and `hours` hours) after the term start. */
export function at(days: number, hours = 0): number {
  return termStart + days * dayMs + hours * 3_600_000;
}

/** Builds a history with one account and nothing else, created at the term start. */
export function emptyHistory(): AccountHistory {
  return {
    account: {
      id: 'acme',
      name: 'Acme',
      plan: 'pro',
      csm_owner: null,
      csm_email: null,
      timezone: 'UTC',
      stage: 'adoption',
      attributes: '{}',
      created_at: termStart,
      updated_at: termStart,
    },
    users: [],
    contracts: [],
    features: [],
    usageDaily: [],
    milestones: [],
    goals: [],
    tickets: [],
  };
}

export function user(id: string, role: string, createdAt = termStart): User {
  return {
    id,
    account_id: 'acme',
    email: `${id}@acme.test`,
    name: id,
    role,
    timezone: null,
    subscribed: 1,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export function contract(
  termNumber: number,
  startAt: number,
  renewalAt: number,
  seats: number | null,
): Contract {
  return {
    id: `acme-${termNumber}`,
    account_id: 'acme',
    term_number: termNumber,
    start_at: startAt,
    renewal_at: renewalAt,
    seats,
    value: null,
    status: 'active',
    outcome: null,
    outcome_at: null,
    updated_at: startAt,
  };
}

export function feature(key: string, releasedAt: number | null, isKey = false): Feature {
  return { key, name: key, released_at: releasedAt, is_key: isKey ? 1 : 0, help_url: null };
}

/** Builds a rollup row dated `dayOffset` days after the term start day. */
export function usage(dayOffset: number, userId: string, featureKey: string, count = 1): UsageDay {
  return {
    account_id: 'acme',
    user_id: userId,
    feature_key: featureKey,
    day: startDay + dayOffset,
    count,
    events: 1,
  };
}

export function milestone(
  key: string,
  dueAt: number | null,
  completedAt: number | null,
): Milestone {
  return { account_id: 'acme', key, name: key, due_at: dueAt, completed_at: completedAt };
}

export function goal(key: string, metAt: number | null): Goal {
  return { account_id: 'acme', key, name: key, due_at: null, met_at: metAt };
}

export function ticket(id: string, openedAt: number, closedAt: number | null): Ticket {
  return {
    id,
    account_id: 'acme',
    user_id: null,
    opened_at: openedAt,
    closed_at: closedAt,
    priority: null,
    subject: null,
    satisfaction: null,
  };
}

/** Builds a history from the empty one with the given parts replaced. */
export function historyWith(parts: Partial<AccountHistory>): AccountHistory {
  return { ...emptyHistory(), ...parts };
}
