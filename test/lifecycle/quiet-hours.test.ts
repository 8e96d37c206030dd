import { localIsoString } from '../../src/lifecycle/quiet-hours';

describe('localIsoString', () => {
  it.each([
    ['UTC', '2026-07-01T12:34:56+00:00'],
    ['Asia/Tokyo', '2026-07-01T21:34:56+09:00'],
    ['America/New_York', '2026-07-01T08:34:56-04:00'],
    ['Asia/Kolkata', '2026-07-01T18:04:56+05:30'],
  ])('formats %s', (zone, expected) => {
    expect(localIsoString(Date.UTC(2026, 6, 1, 12, 34, 56, 789), zone)).toBe(expected);
  });

  it('keeps the local date across midnight', () => {
    expect(localIsoString(Date.UTC(2026, 11, 31, 23, 30), 'Asia/Tokyo')).toBe(
      '2027-01-01T08:30:00+09:00',
    );
  });
});
