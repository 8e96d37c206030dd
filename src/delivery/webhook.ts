import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryResult, PlannedAction } from '../actions/types';
import type { DeliveryDeps } from './config';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from '../logger';
import { finishOutbox } from './outbox';
import {
  claimLease,
  defaultLeaseMs,
  keepLeaseAlive,
  leaseOwnerId,
  markSendStarted,
  leaseHeldFailure,
  markSentSync,
  releaseLease,
  whenStoreIdle,
  type LeaseClaim,
  type SentRecord,
} from './outbox-lease';
import {
  actionLogger,
  assertActionType,
  attemptLogger,
  duplicateResult,
  type AttemptInfo,
} from './results';

/** Header with the HMAC-SHA256 of `<timestamp>.<body>`, as `sha256=<hex>`. */
export const signatureHeader = 'x-uptake-signature';
/** Header with the send time in epoch ms, part of the signed text. */
export const timestampHeader = 'x-uptake-timestamp';
/** Header with the idempotency key, so receivers can drop repeats. */
export const idempotencyHeader = 'x-uptake-idempotency-key';

/** Signs a webhook body sent at `timestamp` (epoch ms); returns the signature header value. */
export function signWebhook(body: string, timestamp: number, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Verifies a webhook signature in constant time, for receivers. Rejects a
 * timestamp more than `toleranceMs` (default 5 minutes) away from `now`.
 */
export function verifyWebhookSignature(
  request: { body: string; timestamp: string; signature: string },
  secret: string,
  options: { now?: number; toleranceMs?: number } = {},
): boolean {
  const timestamp = Number(request.timestamp);
  const tolerance = options.toleranceMs ?? 300_000;
  if (!Number.isFinite(timestamp) || Math.abs((options.now ?? Date.now()) - timestamp) > tolerance)
    return false;
  const expected = Buffer.from(signWebhook(request.body, timestamp, secret));
  const received = Buffer.from(request.signature);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

type Attempt = { ok: true } | { ok: false; retry: boolean; error: string };

/**
 * POSTs the JSON of a planned action to its URL (the recipient), signed,
 * once per idempotency key. Only the attempt holding the row's outbox lease
 * posts; another attempt that finds the lease held throws a retryable
 * failure. Retries with doubling backoff on network errors, timeouts, 408,
 * 429 and 5xx, up to the configured posts; every post is recorded in
 * webhook_deliveries. When those run out on such an error, throws a retryable
 * failure so the activity's own retries post again later, and returns failed
 * only on the last activity attempt or on an error that a retry cannot fix.
 */
export async function deliverWebhook(
  deps: DeliveryDeps,
  action: PlannedAction,
  attempt: AttemptInfo = {},
): Promise<DeliveryResult> {
  assertActionType(action, 'webhook');
  const key = action.idempotencyKey;
  const owner = leaseOwnerId();
  const leaseMs = deps.leaseMs ?? defaultLeaseMs;
  const clock = () => deps.now?.() ?? Date.now();
  const claim = await claimLease(deps.store.db, action, {
    owner,
    now: clock(),
    leaseMs,
    messageId: null,
  });
  const log = attemptLogger(deps.logger, action, owner, attempt);
  if (!claim.claimed) return webhookNotClaimed(claim, clock());
  if (claim.interrupted) {
    // A 2xx reply the dead attempt never recorded cannot be ruled out, so this
    // posts again; receivers drop repeats by the idempotency key header.
    log.warn(
      { interruptedAt: claim.interrupted.sendStartedAt },
      'reposting an interrupted webhook',
    );
  }

  const stop = keepLeaseAlive(deps.store.db, key, owner, { leaseMs, clock, log });
  try {
    // Outside an activity no retry follows, so that attempt counts as the last.
    return await postClaimed(deps, action, { owner, clock, log, final: attempt.final ?? true });
  } finally {
    stop();
  }
}

function webhookNotClaimed(
  claim: Extract<LeaseClaim, { claimed: false }>,
  now: number,
): DeliveryResult {
  if (claim.state === 'finished') return duplicateResult(claim.row);
  throw leaseHeldFailure('webhook', claim.row, now);
}

async function postClaimed(
  deps: DeliveryDeps,
  action: PlannedAction,
  lease: { owner: string; clock: () => number; log: Logger; final: boolean },
): Promise<DeliveryResult> {
  const key = action.idempotencyKey;
  const { owner, clock, log } = lease;
  const url = parseWebhookUrl(action.recipient);
  if (typeof url !== 'string') {
    await finishOutbox(deps.store.db, key, 'failed', { now: clock(), reason: url.reason, owner });
    log.warn({ reason: url.reason }, 'webhook not sent');
    return { idempotencyKey: key, status: 'failed', reason: url.reason };
  }
  if (!(await whenStoreIdle(deps.store, () => markSendStarted(deps.store, key, owner, clock())))) {
    throw ApplicationFailure.retryable(
      `webhook ${key} not posted: its outbox lease expired before the post; a retry claims it again`,
      'OutboxLeaseLost',
    );
  }

  let record: SentRecord = 'owner';
  const outcome = await postWithRetries(deps, action, url, () => {
    record = markSentSync(deps.store, key, owner, clock());
  });
  if (outcome.ok) {
    if (record !== 'owner') log.warn({ record }, 'webhook delivered after the lease was lost');
    log.info({ url }, 'webhook sent');
    return { idempotencyKey: key, status: 'sent' };
  }
  if (outcome.retry && !lease.final) {
    // The receiver may be restarting: the activity's retries, minutes apart, take over.
    const reason = `${outcome.error}; posting again later`;
    await releaseLease(deps.store.db, key, owner, { reason, clearSendMark: true });
    log.warn({ url, reason: outcome.error }, 'webhook failed; the activity will be retried');
    throw ApplicationFailure.retryable(`webhook ${key} failed: ${reason}`, 'WebhookTransientError');
  }
  await finishOutbox(deps.store.db, key, 'failed', { now: clock(), reason: outcome.error, owner });
  log.warn({ url, reason: outcome.error }, 'webhook failed');
  return { idempotencyKey: key, status: 'failed', reason: outcome.error };
}

function parseWebhookUrl(recipient: string): string | { reason: string } {
  let url: URL;
  try {
    url = new URL(recipient);
  } catch {
    return {
      reason: `webhook URL ${JSON.stringify(recipient)} is invalid: expected an http(s) URL`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { reason: `webhook URL ${JSON.stringify(recipient)} must use http or https` };
  }
  return url.toString();
}

/**
 * Posts until a 2xx or a final error. `delivered` runs on the 2xx, before any
 * other write, once no transaction is open on the store's connection.
 */
async function postWithRetries(
  deps: DeliveryDeps,
  action: PlannedAction,
  url: string,
  delivered: () => void,
): Promise<Attempt> {
  const attempts = Math.max(1, deps.config.webhook?.attempts ?? 4);
  const backoffMs = deps.config.webhook?.backoffMs ?? 500;
  const body = JSON.stringify(webhookPayload(action));
  let last: Attempt = { ok: false, retry: false, error: 'not attempted' };

  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    const result = await postOnce(deps, action.idempotencyKey, url, body);
    if (result.attempt.ok) await whenStoreIdle(deps.store, delivered);
    await deps.store.db
      .insertInto('webhook_deliveries')
      .values({
        idempotency_key: action.idempotencyKey,
        attempt,
        url,
        status_code: result.statusCode,
        error: result.error,
        attempted_at: deps.now?.() ?? Date.now(),
      })
      .execute();
    last = result.attempt;
    if (last.ok || !last.retry) break;
    actionLogger(deps.logger, action).warn(
      { attempt, error: result.error },
      'webhook attempt failed; retrying',
    );
  }
  if (last.ok) return last;
  return {
    ...last,
    error: `${last.error} (after ${attempts} attempt${attempts === 1 ? '' : 's'} at most)`,
  };
}

async function postOnce(
  deps: DeliveryDeps,
  key: string,
  url: string,
  body: string,
): Promise<{ attempt: Attempt; statusCode: number | null; error: string | null }> {
  const timestamp = deps.now?.() ?? Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [timestampHeader]: String(timestamp),
        [signatureHeader]: signWebhook(body, timestamp, deps.config.webhookSecret),
        [idempotencyHeader]: key,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.config.webhook?.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.ok) return { attempt: { ok: true }, statusCode: response.status, error: null };
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    const error = `HTTP ${response.status}`;
    return { attempt: { ok: false, retry, error }, statusCode: response.status, error };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { attempt: { ok: false, retry: true, error: detail }, statusCode: null, error: detail };
  }
}

/** Builds the JSON body of a webhook: the action, its rule and evidence. */
export function webhookPayload(action: PlannedAction): Record<string, unknown> {
  return {
    idempotencyKey: action.idempotencyKey,
    accountId: action.accountId,
    ruleId: action.ruleId,
    ruleSetVersion: action.ruleSetVersion,
    template: action.template ?? null,
    params: action.params,
    evidence: action.evidence,
  };
}
