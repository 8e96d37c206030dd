import fc from 'fast-check';
import {
  assignAdopterCategories,
  categoryAtShare,
  isEarlyCategory,
} from '../../src/learn/adopter-categories';

const delays = (values: number[]) =>
  values.map((delayDays, i) => ({ accountId: `a${i}`, delayDays }));

describe('assignAdopterCategories', () => {
  const categories = assignAdopterCategories(delays(Array.from({ length: 200 }, (_, i) => i)));
  const counts = new Map<string, number>();
  for (const category of categories.values()) counts.set(category, (counts.get(category) ?? 0) + 1);

  it('puts 2.5% in innovators', () => {
    expect(counts.get('innovator')).toBe(5);
  });

  it('puts 13.5% in early adopters', () => {
    expect(counts.get('early_adopter')).toBe(27);
  });

  it('puts 34% in early majority', () => {
    expect(counts.get('early_majority')).toBe(68);
  });

  it('puts 34% in late majority', () => {
    expect(counts.get('late_majority')).toBe(68);
  });

  it('puts 16% in laggards', () => {
    expect(counts.get('laggard')).toBe(32);
  });

  it('gives tied delays one category', () => {
    const tied = assignAdopterCategories(delays([0, 0, 0, 0, 9]));
    expect(new Set([0, 1, 2, 3].map((i) => tied.get(`a${i}`))).size).toBe(1);
  });

  it('ignores input order', () => {
    const input = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(input, (values) => {
        const forward = assignAdopterCategories(delays(values));
        const backward = assignAdopterCategories([...delays(values)].reverse());
        return [...forward].every(([id, category]) => backward.get(id) === category);
      }),
    );
  });

  it('ranks against the whole population', () => {
    const early = assignAdopterCategories(delays([3]), 100);
    expect(early.get('a0')).toBe('innovator');
  });
});

describe('categoryAtShare', () => {
  it('maps the last share to laggard', () => {
    expect(categoryAtShare(0.99)).toBe('laggard');
  });
});

describe('isEarlyCategory', () => {
  it('accepts early adopters', () => {
    expect(isEarlyCategory('early_adopter')).toBe(true);
  });

  it('rejects the early majority', () => {
    expect(isEarlyCategory('early_majority')).toBe(false);
  });
});
