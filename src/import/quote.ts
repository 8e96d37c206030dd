/*
 * Quoting of source values in messages. A binary or corrupt file can hold control characters
 * that would move the cursor or recolor a terminal, and values of up to a whole record, so a
 * value is escaped and shortened before it reaches a message.
 */

/** Maximum characters of a source value shown in a message. */
export const maxQuotedChars = 80;

/** Maximum characters of a message from a parser, which may contain part of the source. */
const maxParserMessageChars = 300;

// Control, format, private-use, unassigned and lone surrogate code points, and line separators.
const nonPrintable = /[\p{C}\p{Zl}\p{Zp}]/gu;

/**
 * Quotes a source value for a message, escaping non-printable characters, double quotes and
 * backslashes, and cutting it to 80 characters with the full length stated.
 */
export function quoteValue(value: unknown): string {
  const text = String(value);
  // Any text over twice the maximum in UTF-16 units has more code points than the maximum.
  const characters = Array.from(text.slice(0, maxQuotedChars * 2));
  const cut = characters.length > maxQuotedChars || text.length > maxQuotedChars * 2;
  const shown = cut ? characters.slice(0, maxQuotedChars).join('') : text;
  const quoted = `"${escapeText(shown.replace(/["\\]/g, '\\$&'))}`;
  return cut ? `${quoted}..." (${text.length} characters)` : `${quoted}"`;
}

/** Escapes non-printable characters in a parser's message and cuts it to 300 characters. */
export function escapeParserMessage(message: string): string {
  const escaped = escapeText(message);
  if (escaped.length <= maxParserMessageChars) return escaped;
  return `${escaped.slice(0, maxParserMessageChars)}...`;
}

/** Replaces each non-printable character with its \xNN, \uNNNN or \u{N} escape. */
function escapeText(text: string): string {
  return text.replace(nonPrintable, (character) => {
    const code = character.codePointAt(0)!;
    if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
    if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
    return `\\u{${code.toString(16)}}`;
  });
}
