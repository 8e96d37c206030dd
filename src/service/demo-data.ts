import { z } from 'zod';
import {
  accountInput,
  contractInput,
  featureInput,
  goalInput,
  milestoneInput,
  ticketInput,
  usageEventInput,
  userInput,
} from '../api/schemas';
import { importPath } from '../import/importer';
import { loadMapping } from '../import/mapping';
import type { Logger } from '../logger';
import type { Store } from '../store/database';
import { dayMs } from '../store/time';
import type { DemoPortfolio } from './demo-portfolio';
import { createStoreIngest } from './store-ingest';

/** Events per write, so one transaction stays short. */
const eventChunk = 20_000;

/**
 * Writes a generated portfolio through the same zod schemas and batch writes
 * as the ingest API, so the demo exercises the real validation. Returns the
 * number of usage events stored.
 */
export async function storeDemoPortfolio(store: Store, portfolio: DemoPortfolio): Promise<number> {
  const ingest = createStoreIngest(store);
  await ingest.upsertFeatures(z.array(featureInput).parse(portfolio.features));
  await ingest.upsertAccounts(z.array(accountInput).parse(portfolio.accounts));
  await ingest.upsertUsers(z.array(userInput).parse(portfolio.users));
  await ingest.upsertContracts(z.array(contractInput).parse(portfolio.contracts));
  await ingest.upsertMilestones(z.array(milestoneInput).parse(portfolio.milestones));
  await ingest.upsertGoals(z.array(goalInput).parse(portfolio.goals));
  await ingest.upsertTickets(z.array(ticketInput).parse(portfolio.tickets));
  const events = z.array(usageEventInput).parse(portfolio.events);
  let stored = 0;
  for (let start = 0; start < events.length; start += eventChunk) {
    stored += (await ingest.insertUsageEvents(events.slice(start, start + eventChunk))).inserted;
  }
  return stored;
}

/**
 * Imports a folder of source files with a mapping file, moving every anchor
 * date so that `asToday` (a date inside the source data) falls on today.
 * Returns the importer's report.
 */
export async function importDemoData(
  store: Store,
  options: { data: string; mapping: string; asToday?: string; logger: Logger },
) {
  const shiftDays = options.asToday
    ? Math.round((Date.now() - Date.parse(`${options.asToday}T00:00:00Z`)) / dayMs)
    : 0;
  const mapping = loadMapping(options.mapping);
  options.logger.info({ data: options.data, mapping: options.mapping, shiftDays }, 'importing');
  return importPath(store, options.data, mapping, { shiftDays, logger: options.logger });
}
