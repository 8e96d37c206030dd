import type { PlannedAction } from '../actions/types';
import type { Account, User } from '../store/schema';
import type { FeatureInfo } from '../templates/helpers';
import type { RenderContext } from '../templates/render';
import type { DeliveryConfig, DeliveryDeps } from './config';

/** Dependencies of building a render context: the store, the product URL and optionally facts. */
export type ContextDeps = Pick<DeliveryDeps, 'store' | 'loadFacts'> & {
  config: Pick<DeliveryConfig, 'appUrl'>;
};

/** The rows a render context is built from. */
export interface ContextRows {
  account: Account;
  user?: User;
  unsubscribeUrl?: string;
}

/** Loads the account of an action, or undefined when it does not exist. */
export async function findAccount(
  deps: Pick<DeliveryDeps, 'store'>,
  accountId: string,
): Promise<Account | undefined> {
  return deps.store.db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', accountId)
    .executeTakeFirst();
}

/** Loads a user of an account, or undefined when it does not exist there. */
export async function findUser(
  deps: Pick<DeliveryDeps, 'store'>,
  accountId: string,
  userId: string,
): Promise<User | undefined> {
  return deps.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** Loads every feature as templates see it, by key. */
export async function loadFeatureInfo(
  deps: Pick<DeliveryDeps, 'store'>,
): Promise<Record<string, FeatureInfo>> {
  const rows = await deps.store.db
    .selectFrom('features')
    .select(['key', 'name', 'help_url'])
    .execute();
  const features: Record<string, FeatureInfo> = {};
  for (const row of rows)
    features[row.key] = { key: row.key, name: row.name, helpUrl: row.help_url };
  return features;
}

/**
 * Builds what a template of `action` reads. Facts come from the facts loader
 * as of the action's time when one is wired, overlaid with the action's
 * evidence, which contains the values that made the rule fire.
 */
export async function buildRenderContext(
  deps: ContextDeps,
  action: PlannedAction,
  rows: ContextRows,
): Promise<RenderContext> {
  const loaded = deps.loadFacts
    ? await deps.loadFacts(deps.store, action.accountId, action.notBefore)
    : undefined;
  const description = action.params.ruleDescription;
  return {
    account: {
      id: rows.account.id,
      name: rows.account.name,
      plan: rows.account.plan,
      timezone: rows.account.timezone,
    },
    ...(rows.user ? { user: userView(rows.user) } : {}),
    csm: { name: rows.account.csm_owner, email: rows.account.csm_email },
    facts: { ...(loaded ?? {}), ...action.evidence },
    features: await loadFeatureInfo(deps),
    rule: { id: action.ruleId, description: typeof description === 'string' ? description : '' },
    ...(rows.unsubscribeUrl ? { unsubscribeUrl: rows.unsubscribeUrl } : {}),
    appUrl: deps.config.appUrl,
    params: action.params,
  };
}

function userView(user: User): NonNullable<RenderContext['user']> {
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}
