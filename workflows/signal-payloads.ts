import type { InboxEntry } from './lifecycle-signals';

/** Name of a signal that goes through the inbox. */
export type InboxSignal = InboxEntry['kind'];

/** A signal payload read into an inbox entry, or what the signal expected instead. */
export type ParsedSignal = { ok: true; entry: InboxEntry } | { ok: false; expected: string };

type Fields = Record<string, unknown>;

const expectedContractChange =
  'an object with optional id (string), termNumber (positive integer) and renewalAt (epoch milliseconds)';
const expectedMilestoneCompletion = 'an object with optional id (string) and milestoneKey (string)';

/**
 * Reads the payload of a signal into an inbox entry, copying only the known
 * fields. Anything may arrive here (a CLI signal without input is `undefined`,
 * `--input null` is `null`), and a handler that throws fails every later
 * workflow task, so each field's type is checked before it is read. Pause,
 * resume and recheck need no data:
 * they act with any payload, and only a string id is kept for deduplication.
 * A contract change or milestone completion whose payload has the wrong shape
 * is rejected, with the expected shape for the log.
 */
export function parseSignal(kind: InboxSignal, payload: unknown): ParsedSignal {
  const fields = isFields(payload) ? payload : undefined;
  const envelope = idOf(fields);
  switch (kind) {
    case 'pause':
    case 'resume':
      return { ok: true, entry: { kind, payload: envelope } };
    case 'recheck': {
      const reason = fields?.reason;
      const request = typeof reason === 'string' ? { ...envelope, reason } : envelope;
      return { ok: true, entry: { kind, payload: request } };
    }
    case 'contractChanged':
      return parseContractChange(fields, envelope);
    case 'milestoneCompleted':
      return parseMilestoneCompletion(fields, envelope);
  }
}

function parseContractChange(fields: Fields | undefined, envelope: { id?: string }): ParsedSignal {
  if (!fields) return { ok: false, expected: expectedContractChange };
  // A JSON sender may write null for a field it leaves out, so null counts as absent.
  const termNumber = fields.termNumber ?? undefined;
  const renewalAt = fields.renewalAt ?? undefined;
  const termValid =
    termNumber === undefined || (Number.isSafeInteger(termNumber) && (termNumber as number) > 0);
  const renewalValid =
    renewalAt === undefined || (typeof renewalAt === 'number' && Number.isFinite(renewalAt));
  if (!termValid || !renewalValid) return { ok: false, expected: expectedContractChange };

  const change: Extract<InboxEntry, { kind: 'contractChanged' }>['payload'] = { ...envelope };
  if (termNumber !== undefined) change.termNumber = termNumber as number;
  if (renewalAt !== undefined) change.renewalAt = renewalAt as number;
  return { ok: true, entry: { kind: 'contractChanged', payload: change } };
}

function parseMilestoneCompletion(
  fields: Fields | undefined,
  envelope: { id?: string },
): ParsedSignal {
  if (!fields) return { ok: false, expected: expectedMilestoneCompletion };
  const milestoneKey = fields.milestoneKey ?? undefined;
  if (milestoneKey !== undefined && typeof milestoneKey !== 'string') {
    return { ok: false, expected: expectedMilestoneCompletion };
  }
  const completion = milestoneKey === undefined ? envelope : { ...envelope, milestoneKey };
  return { ok: true, entry: { kind: 'milestoneCompleted', payload: completion } };
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the id only when it is a non-empty string, so that a missing id never deduplicates. */
function idOf(fields: Fields | undefined): { id?: string } {
  const id = fields?.id;
  return typeof id === 'string' && id.length > 0 ? { id } : {};
}
