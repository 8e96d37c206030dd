import type { MailTransport } from '../delivery/mail-transport';
import { describeSmtpFailure } from '../delivery/smtp-failure';
import type { Logger } from '../logger';

/** Time the start-up check of the SMTP relay may take before it reports the relay as unreachable. */
export const relayCheckTimeoutMs = 5_000;

/**
 * Checks once that the SMTP relay accepts a connection (and the login, when
 * SMTP_URL has one), and logs the outcome: an info line on success, else one
 * warn line with the relay's host:port, the error code and the fix. The log
 * names only host and port because SMTP_URL may carry a password. Never
 * rejects, so callers may start it without awaiting it; the service keeps
 * running either way because emails are retried until the relay accepts them.
 * Does nothing for a transport without an SMTP relay.
 */
export async function checkMailRelay(
  transport: MailTransport,
  logger: Logger,
  timeoutMs = relayCheckTimeoutMs,
): Promise<void> {
  if (!transport.verify || !transport.relay) return;
  const relay = transport.relay;
  try {
    await transport.verify(timeoutMs);
    logger.info({ relay }, `SMTP relay ${relay} is reachable`);
  } catch (error) {
    const failure = describeSmtpFailure(error);
    const code = failure.errorCode ?? String(failure.responseCode ?? 'unknown');
    logger.warn(
      { relay, errorCode: failure.errorCode, responseCode: failure.responseCode },
      `SMTP relay ${relay} failed the start-up check (${code}): check SMTP_URL, or unset it to write ` +
        '.eml files instead; emails are retried until the relay accepts them',
    );
  }
}
