import { compileExpression, type RowContext } from '../../src/import/expressions';
import { LookupTables } from '../../src/import/lookups';
import { parseMapping } from '../../src/import/mapping';
import { parseInstantValue } from '../../src/import/values';

const mapping = parseMapping({
  anchors: {
    presentation: {
      patterns: [
        { match: '^(\\d{4})B$', date: '$1-02-01' },
        { match: '^(\\d{4})J$', date: '$1-10-01' },
      ],
    },
  },
  files: [{ file: 'x.csv', entities: [{ entity: 'account', fields: { id: 'id' } }] }],
});

function row(values: Record<string, string>): RowContext {
  return { get: (column) => values[column] };
}

function evaluate(
  expression: Parameters<typeof compileExpression>[0],
  values: Record<string, string>,
  shiftDays = 0,
) {
  const context = { anchors: mapping.anchors, lookups: new LookupTables(), shiftDays };
  return compileExpression(expression, context)(row(values));
}

const offset = { dayOffset: 'date', anchor: 'presentation', key: 'code_presentation' };

describe('day offsets', () => {
  it('B presentations start in February', () => {
    expect(evaluate(offset, { date: '3', code_presentation: '2013B' })).toBe(Date.UTC(2013, 1, 4));
  });

  it('J presentations start in October', () => {
    expect(evaluate(offset, { date: '-10', code_presentation: '2014J' })).toBe(
      Date.UTC(2014, 8, 21),
    );
  });

  it('shift moves every anchor', () => {
    expect(evaluate(offset, { date: '0', code_presentation: '2014J' }, 4383)).toBe(
      Date.UTC(2026, 9, 1),
    );
  });

  it('unknown presentation is an error', () => {
    expect(() => evaluate(offset, { date: '0', code_presentation: '2014X' })).toThrow(
      'no date of anchor "presentation" matches "2014X"',
    );
  });
});

describe('expressions', () => {
  it('template joins columns', () => {
    expect(evaluate({ template: '{a}-{b}' }, { a: 'x', b: 'y' })).toBe('x-y');
  });

  it('template with an empty part is null', () => {
    expect(evaluate({ template: '{a}-{b}' }, { a: 'x', b: '' })).toBeNull();
  });

  it('map rejects unexpected values', () => {
    expect(() => evaluate({ map: 'r', values: { Pass: 'renewed' } }, { r: 'Audit' })).toThrow(
      'unexpected value "Audit"; expected one of "Pass"',
    );
  });

  it('if takes a spelled-out false', () => {
    const expression = { if: { boolean: 'flag' }, then: { const: 'yes' }, else: { const: 'no' } };

    expect(evaluate(expression, { flag: 'False' })).toBe('no');
  });

  it('addDays counts from a date', () => {
    expect(evaluate({ addDays: { const: 30 }, to: 'start' }, { start: '2024-01-15' })).toBe(
      Date.UTC(2024, 1, 14),
    );
  });
});

describe('parseInstantValue', () => {
  it('one-digit hour with a space', () => {
    expect(parseInstantValue('2023-07-28 3:00')).toBe(Date.UTC(2023, 6, 28, 3));
  });

  it('offset', () => {
    expect(parseInstantValue('2024-03-01T10:00:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8));
  });

  it('impossible day', () => {
    expect(parseInstantValue('2023-02-29')).toBeUndefined();
  });
});
