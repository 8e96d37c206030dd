import { countBits } from '../../src/signals/usage';

describe('countBits', () => {
  it('is 0 for an empty mask', () => {
    expect(countBits(0)).toBe(0);
  });

  it('counts scattered bits', () => {
    expect(countBits(0b1010_0110)).toBe(4);
  });

  it('counts the sign bit', () => {
    expect(countBits(1 << 31)).toBe(1);
  });

  it('counts all 32 bits', () => {
    expect(countBits(-1)).toBe(32);
  });
});
