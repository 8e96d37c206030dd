import type { DecisionContext, FiredRule, FiredRuleAction, RecipientUser } from './types';

/** A resolved recipient of one action, or the reason it has none. */
export type RecipientResolution =
  | { kind: 'user'; user: RecipientUser }
  | { kind: 'other'; recipient: string }
  | { kind: 'none'; recipient: string; reason: string };

/**
 * Resolves who receives one action of a fired rule: users by the rule's
 * audience for emails and notices, the CSM for tasks, the URL for webhooks
 * and the target stage for stage actions.
 */
export function resolveRecipients(
  rule: FiredRule,
  action: FiredRuleAction,
  context: DecisionContext,
): RecipientResolution[] {
  const audience = action.audience ?? rule.audience;
  switch (action.type) {
    case 'email':
    case 'notice':
      if (audience && !audience.users) {
        return [
          { kind: 'none', recipient: 'users', reason: `${action.type} needs a users audience` },
        ];
      }
      return usersOrReason(audience, context);
    case 'task':
      return context.csmOwner
        ? [{ kind: 'other', recipient: context.csmOwner }]
        : [{ kind: 'none', recipient: 'csm', reason: 'account has no CSM owner' }];
    case 'webhook':
      return [{ kind: 'other', recipient: String(action.params.url ?? 'webhook') }];
    case 'stage':
      return [];
  }
}

/** Resolves the audience's users, or one entry with the reason that no user matches it. */
function usersOrReason(
  audience: FiredRule['audience'],
  context: DecisionContext,
): RecipientResolution[] {
  const users = selectUsers(audience, context);
  if (users.length > 0) return users.map((user) => ({ kind: 'user', user }));
  const reason = `no user matches the audience (${describeAudience(audience)})`;
  return [{ kind: 'none', recipient: 'users', reason }];
}

function describeAudience(audience: FiredRule['audience']): string {
  const filters: string[] = [];
  const roles = audience?.users?.roles ?? [];
  if (roles.length > 0) filters.push(`roles: ${roles.join(', ')}`);
  if (audience?.users?.belowCadence) filters.push('below their login cadence');
  if (filters.length === 0) return 'all users of the account';
  return filters.join(' and ');
}

function selectUsers(
  ruleAudience: FiredRule['audience'],
  context: DecisionContext,
): RecipientUser[] {
  const audience = ruleAudience?.users;
  let users = context.users;
  if (audience?.roles && audience.roles.length > 0) {
    const roles = new Set(audience.roles);
    users = users.filter((user) => roles.has(user.role));
  }
  if (audience?.belowCadence) {
    const below = new Set(
      context.facts.userCadence.filter((entry) => !entry.meetsCadence).map((entry) => entry.userId),
    );
    users = users.filter((user) => below.has(user.id));
  }
  return users;
}

/**
 * Builds the idempotency key workflowId:chainId:checkNumber:ruleId:recipient,
 * without the chain id when the state has none. A rule with two actions for
 * the same recipient (a notice and an email, say) adds the action type to the
 * second key, and a counter after that, so every key of one check stays unique.
 */
export function idempotencyKey(
  context: DecisionContext,
  chainId: string | undefined,
  target: { ruleId: string; recipient: string; type: string },
  taken: Set<string>,
): string {
  const run = chainId === undefined ? context.workflowId : `${context.workflowId}:${chainId}`;
  const base = `${run}:${context.checkNumber}:${target.ruleId}:${target.recipient}`;
  let key = taken.has(base) ? `${base}:${target.type}` : base;
  for (let index = 2; taken.has(key); index += 1) key = `${base}:${target.type}:${index}`;
  taken.add(key);
  return key;
}
