/** Inputs of the demo summary lines about where emails went and whether sending failed. */
export interface EmailSummaryInput {
  /** Host and port of the SMTP relay; null when emails are written as .eml files. */
  relay: string | null;
  outboxDir: string;
  dbPath: string;
  /** .eml files written so far (empty with SMTP). */
  emlFiles: string[];
  failedAttempts: number;
  lastErrorCode?: string;
}

/** Lines of the demo summary about emails, and its "How to look" line for them. */
export interface EmailSummary {
  lines: string[];
  howToLook: string;
}

const shownFiles = 5;

/**
 * Formats where the demo's emails went: the relay's host:port when SMTP_URL
 * is set, else the first .eml files. Adds one line with the number of failed
 * attempts, the last error code and where to see the details when any failed.
 */
export function formatEmailSummary(input: EmailSummaryInput): EmailSummary {
  const lines: string[] = [];
  if (input.relay) {
    lines.push(`         emails go to the SMTP relay ${input.relay} (SMTP_URL), not to .eml files`);
  } else {
    for (const file of input.emlFiles.slice(0, shownFiles)) lines.push(`         ${file}`);
    if (input.emlFiles.length > shownFiles) {
      lines.push(`         ... ${input.emlFiles.length - shownFiles} more in ${input.outboxDir}`);
    }
  }
  if (input.failedAttempts > 0) lines.push(formatFailures(input));
  const howToLook = input.relay
    ? `  emails:            the SMTP relay at ${input.relay} (SMTP_URL) receives them`
    : `  emails (.eml):     ls ${input.outboxDir}`;
  return { lines, howToLook };
}

function formatFailures(input: EmailSummaryInput): string {
  const attempts = input.failedAttempts === 1 ? 'attempt' : 'attempts';
  const code = input.lastErrorCode ? `, last error ${input.lastErrorCode}` : '';
  return (
    `  ${input.failedAttempts} email send ${attempts} failed${code}; details are in the ` +
    `"email send failed" log warnings and in the reason column of the outbox table in ${input.dbPath}`
  );
}
