import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/database';

// Binds a token to its purpose so that an HMAC made for another use of the same key never verifies.
const purpose = 'uptake-unsubscribe:v1:';

function sign(userId: string, secret: string): Buffer {
  return createHmac('sha256', secret)
    .update(purpose + userId)
    .digest();
}

/**
 * Creates the token of a one-click unsubscribe link: the user id and its
 * HMAC-SHA256, both base64url. It does not expire, because an unsubscribe
 * link in an old email must keep working.
 */
export function createUnsubscribeToken(userId: string, secret: string): string {
  if (secret === '') throw new Error('unsubscribe secret is empty: set one before sending email');
  const id = Buffer.from(userId, 'utf8').toString('base64url');
  return `${id}.${sign(userId, secret).toString('base64url')}`;
}

/** Verifies a token in constant time and returns its user id, or undefined when it is invalid. */
export function verifyUnsubscribeToken(token: string, secret: string): string | undefined {
  const [id, mac, extra] = token.split('.');
  if (!id || !mac || extra !== undefined || secret === '') return undefined;
  const userId = Buffer.from(id, 'base64url').toString('utf8');
  const expected = sign(userId, secret);
  const received = Buffer.from(mac, 'base64url');
  if (received.length !== expected.length) return undefined;
  return timingSafeEqual(received, expected) ? userId : undefined;
}

/** Service settings that decide where users reach the API. */
export interface PublicAddress {
  /** UPTAKE_PUBLIC_URL without a trailing slash, when set. */
  publicUrl?: string;
  host: string;
  port: number;
}

/**
 * Returns the base URL where users reach the service: the public URL when
 * set, else the address it listens on. Unsubscribe links point under it.
 * NOTE: the service's start-up still computes this fallback in its own code,
 * so a change to it must be made in both places.
 */
export function servicePublicUrl(address: PublicAddress): string {
  return address.publicUrl ?? `http://${address.host}:${address.port}`;
}

/** Returns the API's one-click unsubscribe endpoint under the service's base URL. */
export function unsubscribeEndpoint(publicUrl: string): string {
  return `${publicUrl}/v1/unsubscribe`;
}

/** Builds the one-click unsubscribe URL of a user from the endpoint and secret. */
export function buildUnsubscribeUrl(endpoint: string, userId: string, secret: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('token', createUnsubscribeToken(userId, secret));
  return url.toString();
}

/**
 * Unsubscribes a user from email: clears users.subscribed and adds the user
 * and its address to the suppression list, in one transaction. Returns false
 * when the user does not exist. Repeating it changes nothing.
 */
export async function unsubscribeUser(
  store: Store,
  userId: string,
  options: { reason?: string; now?: number } = {},
): Promise<boolean> {
  const now = options.now ?? Date.now();
  return store.db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'subscribed'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return false;
    if (user.subscribed === 0) return true;

    await trx
      .updateTable('users')
      .set({ subscribed: 0, updated_at: now })
      .where('id', '=', userId)
      .execute();
    await trx
      .insertInto('suppressions')
      .values({
        user_id: userId,
        email: user.email?.toLowerCase() ?? null,
        reason: options.reason ?? 'unsubscribed',
        created_at: now,
      })
      .execute();
    return true;
  });
}

/** Adds an email address (for example after a hard bounce or complaint) to the suppression list. */
export async function suppressEmail(
  store: Store,
  email: string,
  reason: string,
  now: number = Date.now(),
): Promise<void> {
  await store.db
    .insertInto('suppressions')
    .values({ email: email.toLowerCase(), user_id: null, reason, created_at: now })
    .execute();
}

/** Returns the reason a user or address must not get email, or undefined when it may. */
export async function findSuppression(
  store: Store,
  user: { id: string; email: string | null; subscribed: number },
): Promise<string | undefined> {
  if (user.subscribed === 0) return 'unsubscribed';
  const email = user.email?.toLowerCase() ?? null;
  const row = await store.db
    .selectFrom('suppressions')
    .select('reason')
    .where((eb) =>
      email === null
        ? eb('user_id', '=', user.id)
        : eb.or([eb('user_id', '=', user.id), eb('email', '=', email)]),
    )
    .executeTakeFirst();
  return row ? `suppressed: ${row.reason}` : undefined;
}
