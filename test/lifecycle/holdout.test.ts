import { holdoutPosition, isHeldOut } from '../../src/lifecycle';

describe('holdout', () => {
  it('is stable for an account and rule', () => {
    expect(holdoutPosition('acme', 'r1')).toBe(holdoutPosition('acme', 'r1'));
  });

  it('differs between rules', () => {
    expect(holdoutPosition('acme', 'r1')).not.toBe(holdoutPosition('acme', 'r2'));
  });

  it('holds out about the share', () => {
    const accounts = Array.from({ length: 10_000 }, (_, index) => `acct-${index}`);
    const heldOut = accounts.filter((id) => isHeldOut(id, 'rule', 0.1)).length;
    expect(heldOut).toBeGreaterThan(900);
    expect(heldOut).toBeLessThan(1100);
  });

  it('holds out unrelated groups for similar rule ids', () => {
    const accounts = Array.from({ length: 10_000 }, (_, index) => `acct-${index}`);
    const inBoth = accounts.filter((id) => isHeldOut(id, 'r1', 0.1) && isHeldOut(id, 'r2', 0.1));
    // Independent groups of 10% share about 1% of the accounts: 100 of 10,000.
    expect(inBoth.length).toBeLessThan(200);
  });

  it('holds out nobody at zero', () => {
    expect(isHeldOut('acme', 'r1', 0)).toBe(false);
  });
});
