import type { Store } from '../store/database';
import { ApiError, type FieldIssue } from './errors';
import type { ContractInput } from './schemas';

/** Ids per `IN (...)` list, below SQLite's bound-parameter limit. */
const chunkSize = 500;

async function storedTerms(
  store: Store,
  ids: string[],
): Promise<Map<string, { startAt: number; renewalAt: number }>> {
  const unique = [...new Set(ids)];
  const terms = new Map<string, { startAt: number; renewalAt: number }>();
  for (let start = 0; start < unique.length; start += chunkSize) {
    const rows = await store.db
      .selectFrom('contracts')
      .select(['id', 'start_at', 'renewal_at'])
      .where('id', 'in', unique.slice(start, start + chunkSize))
      .execute();
    for (const row of rows) terms.set(row.id, { startAt: row.start_at, renewalAt: row.renewal_at });
  }
  return terms;
}

/**
 * Raises a 422 naming every contract whose renewalAt would fall before its
 * startAt once merged with the stored row, so a partial update that moves
 * only one of the two dates is checked too.
 */
export async function assertRenewalAfterStart(
  store: Store,
  contracts: ContractInput[],
): Promise<void> {
  const stored = await storedTerms(
    store,
    contracts.map((contract) => contract.id),
  );
  const issues: FieldIssue[] = [];
  contracts.forEach((contract, index) => {
    const startAt = contract.startAt ?? stored.get(contract.id)?.startAt;
    const renewalAt = contract.renewalAt ?? stored.get(contract.id)?.renewalAt;
    if (startAt === undefined || renewalAt === undefined || renewalAt >= startAt) return;
    issues.push({
      field: `contracts[${index}].renewalAt`,
      message:
        `${new Date(renewalAt).toISOString()} is before startAt ` +
        `${new Date(startAt).toISOString()}; send a renewalAt after the term's start`,
    });
  });
  const [first] = issues;
  if (!first) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ApiError(422, `${first.field}: ${first.message}${more}`, issues);
}
