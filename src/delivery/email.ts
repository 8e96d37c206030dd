import { ApplicationFailure } from '@temporalio/common';
import type { DeliveryResult, PlannedAction } from '../actions/types';
import type { Logger } from '../logger';
import type { DeliveryDeps } from './config';
import { EmailRenderError, messageIdFor, prepareEmail } from './email-message';
import { SendCancelledError } from './mail-transport';
import { finishOutbox } from './outbox';
import { describeSmtpFailure } from './smtp-failure';
import {
  claimLease,
  clearHandedOver,
  defaultLeaseMs,
  keepLeaseAlive,
  leaseHeldFailure,
  leaseOwnerId,
  markHandedOver,
  markSendStarted,
  markSentSync,
  releaseLease,
  storeIdle,
  type InterruptedSend,
  type LeaseClaim,
  type SentRecord,
} from './outbox-lease';
import { assertActionType, attemptLogger, duplicateResult, type AttemptInfo } from './results';

export type { AttemptInfo } from './results';

/** State of one attempt that holds the lease. */
interface Claimed {
  key: string;
  owner: string;
  messageId: string;
  interrupted: InterruptedSend | null;
  /** True when an earlier attempt claimed the row before this one. */
  resumed: boolean;
  /** True on the activity's last attempt, when a transient failure is final. */
  final: boolean;
  log: Logger;
}

/**
 * Sends the email of a planned action to one user, once per idempotency key
 * except in the crash window noted in `sendClaimed`. Only the attempt holding
 * the row's outbox lease sends. Skips unsubscribed or suppressed users and
 * fails without sending on bad input, recording the reason in the outbox.
 * Throws a non-retryable failure for an action of another channel, and a
 * retryable one for transient SMTP or store errors and while another attempt
 * holds the lease.
 */
export async function deliverEmail(
  deps: DeliveryDeps,
  action: PlannedAction,
  attempt: AttemptInfo = {},
): Promise<DeliveryResult> {
  assertActionType(action, 'email');
  const key = action.idempotencyKey;
  const owner = leaseOwnerId();
  const messageId = messageIdFor(key, deps.config.from.address);
  const leaseMs = deps.leaseMs ?? defaultLeaseMs;
  const claim = await claimLease(deps.store.db, action, {
    owner,
    now: clock(deps),
    leaseMs,
    messageId,
  });
  const log = attemptLogger(deps.logger, action, owner, attempt);
  logClaim(log, claim);
  if (!claim.claimed) return notClaimed(claim, clock(deps));

  const stop = keepLeaseAlive(deps.store.db, key, owner, {
    leaseMs,
    clock: () => clock(deps),
    log,
  });
  try {
    return await sendClaimed(deps, action, {
      key,
      owner,
      messageId,
      interrupted: claim.interrupted,
      resumed: claim.attempts > 1,
      final: attempt.final === true,
      log,
    });
  } finally {
    stop();
  }
}

function clock(deps: DeliveryDeps): number {
  return deps.now?.() ?? Date.now();
}

function logClaim(log: Logger, claim: LeaseClaim): void {
  const fields = {
    pid: process.pid,
    claimed: claim.claimed,
    outboxStatus: claim.before.status,
    outboxAttempts: claim.before.attempts,
    previousOwner: claim.before.leaseOwner,
    ...(claim.claimed ? { interruptedAt: claim.interrupted?.sendStartedAt } : {}),
  };
  log.info(fields, 'email delivery attempt');
}

function notClaimed(claim: Extract<LeaseClaim, { claimed: false }>, now: number): DeliveryResult {
  if (claim.state === 'finished') return duplicateResult(claim.row);
  throw leaseHeldFailure('email', claim.row, now);
}

async function sendClaimed(
  deps: DeliveryDeps,
  action: PlannedAction,
  claimed: Claimed,
): Promise<DeliveryResult> {
  const { key, owner, log } = claimed;
  if (claimed.resumed && deps.transport.wasSent(key)) {
    // An earlier attempt handed the message over and stopped before recording it.
    await finishOutbox(deps.store.db, key, 'sent', { now: clock(deps), owner });
    log.info({ transport: deps.transport.kind }, 'email already delivered; recorded as sent');
    return { idempotencyKey: key, status: 'duplicate', reason: 'sent by an earlier attempt' };
  }

  if (claimed.interrupted?.handedOverAt != null) {
    return recordHandedOver(deps, claimed, claimed.interrupted);
  }

  const message = await prepareOrRelease(deps, action, claimed);
  if ('reason' in message) {
    const { status, reason } = message;
    await finishOutbox(deps.store.db, key, status, { now: clock(deps), reason, owner });
    log.warn({ status, reason }, 'email not sent');
    return { idempotencyKey: key, status, reason };
  }

  // NOTE: an attempt that dies after it started to send but before its
  // hand-over was recorded leaves a row that the next attempt sends again. Over
  // plain SMTP the relay cannot have a whole message then, because the last byte
  // goes out only after the record. Over smtps the record follows the write, so
  // a crash between the two resends. Over STARTTLS the connection carries TLS
  // records, so the end of the data is not visible. There a resend also follows
  // a crash in the wait for the relay's reply. A repeat carries the same
  // Message-ID so receivers can drop it.
  if (claimed.interrupted) {
    log.warn(
      {
        previousOwner: claimed.interrupted.previousOwner,
        interruptedAt: claimed.interrupted.sendStartedAt,
      },
      'resending an email whose earlier send was interrupted; the relay may already have it',
    );
  }
  let record: SentRecord = 'owner';
  try {
    await deps.transport.send(key, () => message.render(), {
      // A mark written while other work has a transaction open on this connection would
      // commit or roll back with that work, so each mark waits until none is open.
      ready: () => storeIdle(deps.store),
      starting: () => markSendStarted(deps.store, key, owner, clock(deps)),
      handedOver: () => {
        try {
          markHandedOver(deps.store, key, owner, clock(deps));
        } catch (error) {
          log.warn({ err: error }, 'hand-over of the email to the relay not recorded');
        }
      },
      handOverFailed: () => {
        try {
          clearHandedOver(deps.store, key, owner);
        } catch (error) {
          log.warn({ err: error }, 'failed hand-over of the email to the relay not withdrawn');
        }
      },
      accepted: () => {
        record = markSentSync(deps.store, key, owner, clock(deps));
      },
    });
  } catch (error) {
    return handleSendError(deps, claimed, error);
  }
  if (record !== 'owner') log.warn({ record }, 'email accepted after this attempt lost its lease');
  log.info({ messageId: claimed.messageId, transport: deps.transport.kind }, 'email sent');
  return { idempotencyKey: key, status: 'sent' };
}

/**
 * Records as sent a row whose earlier attempt wrote the whole message to the
 * relay connection and died before the reply. The relay received every byte,
 * so sending again would make a repeat. The reason states that the reply was not seen.
 */
async function recordHandedOver(
  deps: DeliveryDeps,
  claimed: Claimed,
  interrupted: InterruptedSend,
): Promise<DeliveryResult> {
  const handedOverAt = new Date(interrupted.handedOverAt ?? 0).toISOString();
  const reason = `handed to the relay at ${handedOverAt}; its reply was not seen, so not sent again`;
  await finishOutbox(deps.store.db, claimed.key, 'sent', {
    now: clock(deps),
    reason,
    owner: claimed.owner,
  });
  claimed.log.warn(
    { previousOwner: interrupted.previousOwner, handedOverAt: interrupted.handedOverAt },
    'email not sent again: an earlier attempt wrote all of it to the relay before it stopped',
  );
  return { idempotencyKey: claimed.key, status: 'duplicate', reason };
}

/** Builds the message. An unexpected error frees the lease, because nothing was sent by this attempt. */
async function prepareOrRelease(
  deps: DeliveryDeps,
  action: PlannedAction,
  claimed: Claimed,
): ReturnType<typeof prepareEmail> {
  try {
    return await prepareEmail(deps, action, claimed.messageId);
  } catch (error) {
    const reason = `email not built, will retry: ${error instanceof Error ? error.message : String(error)}`;
    await releaseLease(deps.store.db, claimed.key, claimed.owner, { reason, clearSendMark: false });
    claimed.log.warn({ err: error }, 'email not built; the activity will be retried');
    throw error;
  }
}

async function handleSendError(
  deps: DeliveryDeps,
  claimed: Claimed,
  error: unknown,
): Promise<DeliveryResult> {
  const { key, owner, log } = claimed;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof EmailRenderError) {
    await finishOutbox(deps.store.db, key, 'failed', { now: clock(deps), reason: detail, owner });
    log.warn({ status: 'failed', reason: detail }, 'email not sent');
    return { idempotencyKey: key, status: 'failed', reason: detail };
  }
  if (error instanceof SendCancelledError) {
    log.warn({ err: error }, 'email not sent: another attempt took over the outbox row');
    throw ApplicationFailure.retryable(detail, 'OutboxLeaseLost');
  }
  const failure = describeSmtpFailure(error);
  const code = failure.responseCode;
  const fields = {
    err: error,
    errorCode: failure.errorCode,
    responseCode: code,
    smtpCommand: failure.command,
    relay: deps.transport.relay,
  };

  // A 5xx reply is the relay's final word on this message: retrying cannot help.
  if (code !== undefined && code >= 500 && code < 600) {
    const reason = `SMTP server rejected the message: ${detail}`;
    await finishOutbox(deps.store.db, key, 'failed', { now: clock(deps), reason, owner });
    log.warn(fields, 'email rejected by the SMTP server');
    return { idempotencyKey: key, status: 'failed', reason };
  }
  if (claimed.final) {
    const reason = `SMTP send failed on the last attempt, not retried: ${detail}`;
    await finishOutbox(deps.store.db, key, 'failed', { now: clock(deps), reason, owner });
    log.warn(fields, 'email send failed on the last attempt');
    return { idempotencyKey: key, status: 'failed', reason };
  }
  // A relay that replied with an error code, or a send that failed before any
  // message data went out, did not take the message. A connection dropped or
  // timed out after that leaves the outcome unknown, so the send mark stays.
  await releaseLease(deps.store.db, key, owner, {
    reason: `SMTP send failed, will retry: ${detail}`,
    clearSendMark: code !== undefined || failure.beforeData,
  });
  log.warn(fields, 'email send failed; the activity will be retried');
  throw ApplicationFailure.retryable(`SMTP send failed: ${detail}`, 'SmtpTransientError');
}
