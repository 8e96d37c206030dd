import fc from 'fast-check';
import { parseInstantValue } from '../../src/import/values';

describe('parseInstantValue', () => {
  it('reads every toISOString output', () => {
    const instants = fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9999, 11, 31) });
    fc.assert(
      fc.property(instants, (instant) => {
        expect(parseInstantValue(new Date(instant).toISOString())).toBe(instant);
      }),
    );
  });

  it('rejects impossible canonical dates', () => {
    expect(parseInstantValue('2023-02-29T00:00:00.000Z')).toBeUndefined();
    expect(parseInstantValue('2023-04-31T00:00:00.000Z')).toBeUndefined();
    expect(parseInstantValue('2023-13-01T00:00:00.000Z')).toBeUndefined();
    expect(parseInstantValue('2023-01-01T24:00:00.000Z')).toBeUndefined();
  });

  it('reads a leap day', () => {
    expect(parseInstantValue('2024-02-29T12:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it('reads other ISO forms', () => {
    expect(parseInstantValue('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(parseInstantValue('2024-03-01T09:30:00.000z')).toBe(Date.UTC(2024, 2, 1, 9, 30));
    expect(parseInstantValue('2024-03-01T09:30:00.000+01:00')).toBe(Date.UTC(2024, 2, 1, 8, 30));
  });
});
