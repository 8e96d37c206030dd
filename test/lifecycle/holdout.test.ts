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

  it('holds out nobody at zero', () => {
    expect(isHeldOut('acme', 'r1', 0)).toBe(false);
  });
});
