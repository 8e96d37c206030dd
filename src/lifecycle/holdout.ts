/**
 * Places an account in a rule's holdout group or not. The choice depends only
 * on the account id and rule id (FNV-1a 32-bit hash, mixed, mapped to 0..1), so it is
 * the same at every check, in every process and in the backtest.
 */
export function isHeldOut(accountId: string, ruleId: string, holdoutShare: number): boolean {
  if (holdoutShare <= 0) return false;
  return holdoutPosition(accountId, ruleId) < holdoutShare;
}

/** Maps account id and rule id to a fixed position in [0, 1). */
export function holdoutPosition(accountId: string, ruleId: string): number {
  let hash = 0x811c9dc5;
  const text = `${accountId}\u0000${ruleId}`;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return mix(hash) / 2 ** 32;
}

/**
 * Spreads every input bit over the whole hash (MurmurHash3's 32-bit finalizer).
 * FNV-1a alone barely moves the top bits when only the last characters change,
 * so rules named `nudge-1` and `nudge-2` would hold out nearly the same accounts.
 */
function mix(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
