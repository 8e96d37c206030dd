/** A recipient that nodemailer can take as it is, as a { name, address } object. */
export interface CheckedRecipient {
  name: string;
  address: string;
}

// One plain addr-spec: no display name, no comments, no list, no quoting, ASCII only.
// Anything richer is where address parsers disagree, so it is rejected rather than guessed.
const addressPattern =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Checks that a user can be sent email without nodemailer misreading the
 * address: exactly one plain address (no comma, angle brackets, quotes,
 * spaces or second address) and a display name without line breaks or other
 * control characters. Returns the reason when it cannot.
 */
export function checkRecipient(user: {
  id: string;
  email: string | null;
  name: string | null;
}): CheckedRecipient | { reason: string } {
  const email = user.email?.trim() ?? '';
  if (email === '') return { reason: `user ${user.id} has no email address` };
  if (email.length > 254 || !addressPattern.test(email)) {
    return {
      reason: `user ${user.id} has an invalid email address ${JSON.stringify(email)}: expected one plain address such as name@example.com`,
    };
  }

  const name = user.name ?? '';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    return {
      reason: `user ${user.id} has a display name with a line break or control character: remove it`,
    };
  }
  return { name: name.trim(), address: email };
}
