import { customOperators } from '../../src/rules/custom-operators';
import { compilePath, parseFactPath } from '../../src/rules/fact-path';
import { parseJsonText } from '../../src/rules/json-text';

const asOf = Date.UTC(2026, 11, 4);
const day = 86_400_000;

function operator(name: string) {
  const found = customOperators.get(name);
  if (!found) throw new Error(`no operator ${name}`);
  return (fact: unknown, value: unknown) => found(fact, value, { asOf });
}

function select(path: string, value: object): unknown {
  const parsed = parseFactPath(path);
  if (!parsed.ok) throw new Error(parsed.message);
  return compilePath(parsed.segments)(value);
}

describe('parseJsonText', () => {
  it('parses a valid document', () => {
    expect(parseJsonText('\ufeff{"a": [1]}')).toEqual({ ok: true, value: { a: [1] } });
  });

  it('locates a trailing comma', () => {
    const result = parseJsonText('{\n  "a": 1,\n}');
    expect(result).toMatchObject({ ok: false, line: 3, column: 1 });
  });

  it('locates an unterminated string', () => {
    const result = parseJsonText('{"a": "b}');
    expect(result).toMatchObject({ ok: false, line: 1, column: 7 });
  });

  it('reports the end of the file', () => {
    const result = parseJsonText('{"a": [1, 2');
    expect(result.ok ? '' : result.message).toMatch(/unexpected end of file/);
  });

  it('reports text after the value', () => {
    const result = parseJsonText('{} {}');
    expect(result).toMatchObject({ ok: false, line: 1, column: 4 });
  });
});

describe('fact paths', () => {
  const facts = { a: { b: [10, 20] }, list: [{ t: 1 }, { t: 2 }], star: { '*': 9, k: 8 } };

  it('follows names and indexes', () => {
    expect(select("$.a['b'][1]", facts)).toBe(20);
  });

  it('returns undefined for a missing key', () => {
    expect(select('$.a.c', facts)).toBeUndefined();
  });

  it('collects wildcard matches', () => {
    expect(select('$.list[*].t', facts)).toEqual([1, 2]);
  });

  it('prefers a literal star after a name', () => {
    expect(select('$.star.*', facts)).toBe(9);
  });

  it('ignores inherited properties', () => {
    expect(select('$.a.toString', facts)).toBeUndefined();
  });

  it('rejects recursive descent', () => {
    expect(parseFactPath('$..a').ok).toBe(false);
  });

  it('rejects prototype keys', () => {
    expect(parseFactPath("$['prototype']").ok).toBe(false);
  });
});

describe('custom operators', () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ['olderThanDays', asOf - 15 * day, 14, true],
    ['olderThanDays', asOf - 14 * day, 14, false],
    ['olderThanDays', '2026-11-01T00:00:00Z', 14, true],
    ['olderThanDays', 'yesterday', 14, false],
    ['olderThanDays', null, 14, false],
    ['withinLastDays', asOf - 2 * day, 7, true],
    ['withinLastDays', asOf + day, 7, false],
    ['withinLastDays', '2026-12-01', 7, true],
    ['isEmpty', [], true, true],
    ['isEmpty', null, true, false],
    ['isNotEmpty', ['api'], true, true],
    ['isNotEmpty', 'api', true, false],
    [
      'percentileBelow',
      { activeDaysLast30: 10 },
      { signal: 'activeDaysLast30', percentile: 25 },
      true,
    ],
    [
      'percentileBelow',
      { activeDaysLast30: 25 },
      { signal: 'activeDaysLast30', percentile: 25 },
      false,
    ],
    ['percentileBelow', {}, { signal: 'activeDaysLast30', percentile: 25 }, false],
    ['percentileBelow', 10, 25, true],
    ['percentileBelow', null, 25, false],
  ];

  it.each(cases)('%s(%j, %j) is %s', (name, fact, value, expected) => {
    expect(operator(name)(fact, value)).toBe(expected);
  });

  it('requires asOf for durations', () => {
    const olderThanDays = customOperators.get('olderThanDays');
    expect(() => olderThanDays?.(asOf, 1, { asOf: undefined })).toThrow(/pass asOf/);
  });
});
