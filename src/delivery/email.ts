import { ApplicationFailure } from '@temporalio/common';
import type { DeliveryResult, PlannedAction } from '../actions/types';
import type { DeliveryDeps } from './config';
import { messageIdFor, prepareEmail } from './email-message';
import { claimOutbox, finishOutbox, noteOutboxError } from './outbox';
import { actionLogger, assertActionType, duplicateResult } from './results';

/**
 * Sends the email of a planned action to one user, once per idempotency key
 * except in the crash window noted below. Skips unsubscribed or suppressed
 * users and fails without sending on bad input, recording the reason in the
 * outbox. Throws a non-retryable failure for an action of another channel,
 * and a retryable one for transient SMTP or store errors.
 */
export async function deliverEmail(
  deps: DeliveryDeps,
  action: PlannedAction,
): Promise<DeliveryResult> {
  assertActionType(action, 'email');
  const key = action.idempotencyKey;
  const now = deps.now?.() ?? Date.now();
  const log = actionLogger(deps.logger, action);
  const messageId = messageIdFor(key, deps.config.from.address);

  const claim = await claimOutbox(deps.store.db, action, { messageId, now });
  if (!claim.claimed) return duplicateResult(claim.row);
  if (claim.resumed && deps.transport.wasSent(key)) {
    // The previous attempt wrote the message and stopped before recording it.
    await finishOutbox(deps.store.db, key, 'sent', { now });
    log.info({ attempts: claim.attempts }, 'email already in the outbox folder; recorded as sent');
    return { idempotencyKey: key, status: 'duplicate', reason: 'sent by an earlier attempt' };
  }

  const message = await prepareEmail(deps, action, messageId);
  if ('reason' in message) {
    await finishOutbox(deps.store.db, key, message.status, { now, reason: message.reason });
    log.warn({ status: message.status, reason: message.reason }, 'email not sent');
    return { idempotencyKey: key, status: message.status, reason: message.reason };
  }

  // NOTE: delivery is at least once in two cases. First, a crash after the relay
  // accepted the message and before the row is marked sent makes the retry send
  // it again. The .eml outbox detects that case above, and over SMTP the repeat
  // carries the same Message-ID. Second, an attempt that overlaps a timed-out
  // earlier one still in flight also finds the row pending and sends.
  try {
    await deps.transport.send(key, message);
  } catch (error) {
    return handleSendError(deps, key, error, log);
  }
  await finishOutbox(deps.store.db, key, 'sent', { now: deps.now?.() ?? Date.now() });
  log.info({ messageId, transport: deps.transport.kind }, 'email sent');
  return { idempotencyKey: key, status: 'sent' };
}

async function handleSendError(
  deps: DeliveryDeps,
  key: string,
  error: unknown,
  log: DeliveryDeps['logger'],
): Promise<DeliveryResult> {
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { responseCode?: number }).responseCode;

  // A 5xx reply is the relay's final word on this message: retrying cannot help.
  if (code !== undefined && code >= 500 && code < 600) {
    const reason = `SMTP server rejected the message: ${detail}`;
    await finishOutbox(deps.store.db, key, 'failed', { now: deps.now?.() ?? Date.now(), reason });
    log.warn({ err: error, responseCode: code }, 'email rejected by the SMTP server');
    return { idempotencyKey: key, status: 'failed', reason };
  }
  await noteOutboxError(deps.store.db, key, `SMTP send failed, will retry: ${detail}`);
  log.warn({ err: error, responseCode: code }, 'email send failed; the activity will be retried');
  throw ApplicationFailure.retryable(`SMTP send failed: ${detail}`, 'SmtpTransientError');
}
