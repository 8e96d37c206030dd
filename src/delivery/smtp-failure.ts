import { getSystemErrorName } from 'node:util';

/** Details of a failed SMTP send, as far as the client can tell, for the outbox and the logs. */
export interface SmtpFailure {
  /** System error name such as ECONNREFUSED, else nodemailer's code such as EENVELOPE. */
  errorCode: string | undefined;
  /** Reply code of the relay, when it replied with an error. */
  responseCode: number | undefined;
  /** SMTP command or phase that failed, as nodemailer names it (CONN, MAIL FROM, RCPT TO, DATA). */
  command: string | undefined;
  /** True when the relay cannot have the message: it failed before any message data was sent. */
  beforeData: boolean;
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  command?: string;
  syscall?: string;
  errno?: number;
  message?: string;
}

// Commands that nodemailer 8 runs before DATA, so a failure in them sent no message data.
// API marks checks that nodemailer makes before it writes anything for this message.
const commandsBeforeData = new Set(['API', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'RSET']);
const envelopeCommands = new Set(['MAIL FROM', 'RCPT TO']);

// Failures that nodemailer 8 reports with command CONN but only raises while it
// resolves, connects, sets up TLS or waits for the greeting.
const connectCodes = new Set(['EDNS', 'ETLS']);
const connectMessages = ['Connection timeout', 'Greeting never received', 'Invalid greeting'];

/**
 * Describes a send error of nodemailer. A closed connection, a socket error or
 * an inactivity timeout after the greeting count as possibly after DATA,
 * because nodemailer reports them the same way in every phase.
 */
export function describeSmtpFailure(error: unknown): SmtpFailure {
  const details = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  return {
    errorCode: errorCodeOf(details),
    responseCode: details.responseCode,
    command: details.command,
    beforeData: failedBeforeData(details),
  };
}

function errorCodeOf(details: NodemailerError): string | undefined {
  if (typeof details.errno === 'number' && details.errno < 0) {
    return getSystemErrorName(details.errno);
  }
  return details.code;
}

function failedBeforeData(details: NodemailerError): boolean {
  const command = details.command ?? '';
  if (details.code === 'ESTREAM') return false;
  if (commandsBeforeData.has(command) || envelopeCommands.has(command)) return true;
  if (command.startsWith('AUTH')) return true;
  // A rejected DATA command comes before the message data is sent.
  if (command === 'DATA' && details.code === 'EENVELOPE') return true;
  if (command !== 'CONN') return false;
  if (details.syscall === 'connect') return true;
  if (details.code !== undefined && connectCodes.has(details.code)) return true;
  const message = details.message ?? '';
  return connectMessages.some((start) => message.startsWith(start));
}
