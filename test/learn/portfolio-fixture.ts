import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/database';
import {
  insertUsageEvents,
  upsertAccounts,
  upsertContracts,
  upsertFeatures,
  upsertUsers,
} from '../../src/store/ingest';
import type { NewUsageEvent } from '../../src/store/schema';
import { dayMs } from '../../src/store/time';

/** 2024-01-01T00:00:00Z, when every fixture term starts. */
export const fixtureStart = Date.UTC(2024, 0, 1);
export const fixtureTermDays = 120;

/**
 * Creates a store with `count` accounts, each with one user and one 120-day
 * term starting on 2024-01-01. Even-numbered accounts renew and are active
 * most days; odd ones churn on day 90 after activity fading from day 30.
 * Account k first uses the `reports` feature on day k.
 */
export async function createPortfolioStore(count = 20): Promise<Store> {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-learn-')), 'db.sqlite'));
  const ids = Array.from({ length: count }, (_, i) => `acct-${String(i).padStart(3, '0')}`);
  await upsertFeatures(store, [
    { key: 'reports', name: 'Reports', released_at: null, is_key: 1, help_url: null },
    { key: 'editor', name: 'Editor', released_at: null, is_key: 0, help_url: null },
  ]);
  await upsertAccounts(
    store,
    ids.map((id) => ({
      id,
      name: id,
      timezone: 'UTC',
      attributes: '{}',
      created_at: fixtureStart,
      updated_at: fixtureStart,
      csm_owner: 'csm-1',
    })),
  );
  await upsertUsers(
    store,
    ids.map((id) => ({
      id: `${id}-u`,
      account_id: id,
      email: `${id}@example.test`,
      role: 'user',
      created_at: fixtureStart,
      updated_at: fixtureStart,
    })),
  );
  await upsertContracts(
    store,
    ids.map((id, i) => contractOf(id, i)),
  );
  await insertUsageEvents(
    store,
    ids.flatMap((id, i) => eventsOf(id, i)),
  );
  return store;
}

function contractOf(id: string, index: number) {
  const churned = index % 2 === 1;
  return {
    id: `${id}-t1`,
    account_id: id,
    term_number: 1,
    start_at: fixtureStart,
    renewal_at: fixtureStart + fixtureTermDays * dayMs,
    seats: 1,
    value: 1000,
    status: 'ended' as const,
    outcome: churned ? ('churned' as const) : ('renewed' as const),
    outcome_at: fixtureStart + (churned ? 90 : fixtureTermDays) * dayMs,
    updated_at: fixtureStart,
  };
}

function eventsOf(id: string, index: number): NewUsageEvent[] {
  const churned = index % 2 === 1;
  const events: NewUsageEvent[] = [];
  const lastDay = churned ? 90 : fixtureTermDays;
  for (let day = 0; day < lastDay; day += 1) {
    // Churning accounts are active every other day, then once a week after day 30.
    let active = day % 7 < 5;
    if (churned) active = day < 30 ? day % 2 === 0 : day % 7 === 0;
    if (!active) continue;
    const feature = day >= index ? 'reports' : 'editor';
    events.push({
      event_id: `${id}-${day}`,
      account_id: id,
      user_id: `${id}-u`,
      feature_key: feature,
      occurred_at: fixtureStart + day * dayMs + 3_600_000,
      count: 1,
    });
  }
  return events;
}
