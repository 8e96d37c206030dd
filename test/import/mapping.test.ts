import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMapping, MappingError, parseMapping } from '../../src/import/mapping';

function issuesOf(json: unknown): string[] {
  try {
    parseMapping(json);
  } catch (error) {
    if (error instanceof MappingError) return error.issues;
    throw error;
  }
  return [];
}

const accountEntity = { entity: 'account', fields: { id: 'id' } };

describe('mapping errors', () => {
  it('unknown entity', () => {
    const issues = issuesOf({
      files: [{ file: 'a.csv', entities: [{ entity: 'acount', fields: {} }] }],
    });

    expect(issues[0]).toMatch(/^\$\.files\[0\]\.entities\[0\]\.entity: /);
    expect(issues[0]).toMatch(/"account"/);
  });

  it('unknown field', () => {
    const entity = { entity: 'account', fields: { id: 'id', colour: 'c' } };
    const issues = issuesOf({ files: [{ file: 'a.csv', entities: [entity] }] });

    expect(issues[0]).toMatch(
      /^\$\.files\[0\]\.entities\[0\]\.fields\.colour: unknown field of account/,
    );
    expect(issues[0]).toMatch(/expected one of id, name/);
  });

  it('constant of the wrong type', () => {
    const fields = { accountId: 'a', occurredAt: 'at', count: { const: 'abc' } };
    const entity = { entity: 'usageEvent', fields };
    const issues = issuesOf({ files: [{ file: 'e.csv', entities: [entity] }] });

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^\$\.files\[0\]\.entities\[0\]\.fields\.count: /);
    expect(issues[0]).toMatch(/invalid number "abc"/);
  });

  it('constant in a map default', () => {
    const isKey = { map: 'k', values: { y: true }, default: 'sometimes' };
    const entity = { entity: 'feature', fields: { key: 'key', isKey } };
    const issues = issuesOf({ files: [{ file: 'f.csv', entities: [entity] }] });

    expect(issues[0]).toMatch(/^\$\.files\[0\]\.entities\[0\]\.fields\.isKey\.default: /);
  });

  it('field named __proto__', () => {
    const json = JSON.parse(
      '{"files":[{"file":"a.csv","entities":[{"entity":"account","fields":{"id":"id","__proto__":"x"}}]}]}',
    ) as unknown;
    const issues = issuesOf(json);

    expect(issues[0]).toMatch(
      /^\$\.files\[0\]\.entities\[0\]\.fields\.__proto__: unknown field of account/,
    );
  });

  it('field named constructor', () => {
    const entity = { entity: 'account', fields: { id: 'id', constructor: 'c' } };
    const issues = issuesOf({ files: [{ file: 'a.csv', entities: [entity] }] });

    expect(issues[0]).toMatch(/fields\.constructor: unknown field of account/);
  });

  it('file paths outside the folder', () => {
    const files = ['../bad/accounts.csv', '/etc/accounts.csv', 'a/../../b.csv', 'C:\\x.csv'];
    const issues = issuesOf({
      lookups: { l: { file: '../l.csv', key: ['id'] } },
      files: files.map((file) => ({ file, entities: [accountEntity] })),
    });

    expect(issues).toHaveLength(5);
    expect(issues[0]).toMatch(/^\$\.lookups\.l\.file: "\.\.\/l\.csv" is outside the import folder/);
    expect(issues[1]).toMatch(/^\$\.files\[0\]\.file: "\.\.\/bad\/accounts\.csv" is outside/);
    expect(issues[2]).toMatch(/^\$\.files\[1\]\.file: /);
    expect(issues[3]).toMatch(/^\$\.files\[2\]\.file: /);
    expect(issues[4]).toMatch(/^\$\.files\[3\]\.file: /);
  });

  it('file path in a subfolder', () => {
    const issues = issuesOf({ files: [{ file: 'sub/a..b.csv', entities: [accountEntity] }] });

    expect(issues).toEqual([]);
  });

  it('missing required field', () => {
    const entity = { entity: 'usageEvent', fields: { accountId: 'a' } };
    const issues = issuesOf({ files: [{ file: 'e.csv', entities: [entity] }] });

    expect(issues).toContain(
      '$.files[0].entities[0].fields: missing required field "occurredAt" of usageEvent',
    );
  });

  it('expression of the wrong shape', () => {
    const entity = { entity: 'account', fields: { id: { colum: 'id' } } };
    const issues = issuesOf({ files: [{ file: 'a.csv', entities: [entity] }] });

    expect(issues[0]).toMatch(
      /^\$\.files\[0\]\.entities\[0\]\.fields\.id: expected a column name, or one of \{column\}/,
    );
  });

  it('unknown lookup', () => {
    const entity = {
      entity: 'account',
      fields: { id: 'id', name: { lookup: 'names', on: ['id'], column: 'name' } },
    };
    const issues = issuesOf({ files: [{ file: 'a.csv', entities: [entity] }] });

    expect(issues[0]).toBe(
      '$.files[0].entities[0].fields.name.lookup: unknown lookup "names"; defined lookups: (none)',
    );
  });

  it('unknown anchor', () => {
    const entity = {
      entity: 'account',
      fields: { id: 'id', createdAt: { dayOffset: 'day', anchor: 'start' } },
    };
    const issues = issuesOf({ files: [{ file: 'a.csv', entities: [entity] }] });

    expect(issues[0]).toBe(
      '$.files[0].entities[0].fields.createdAt.anchor: unknown anchor "start"',
    );
  });

  it('anchor date of the wrong shape', () => {
    const issues = issuesOf({
      anchors: { start: { date: '01/02/2024' } },
      files: [{ file: 'a.csv', entities: [accountEntity] }],
    });

    expect(issues[0]).toBe('$.anchors.start.date: expected a date as YYYY-MM-DD');
  });

  it('empty file list', () => {
    const issues = issuesOf({ files: [] });

    expect(issues[0]).toMatch(/^\$\.files: /);
  });

  it('invalid JSON file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'uptake-mapping-')), 'mapping.json');
    writeFileSync(path, '{\n  "files": [\n    { "file": "a.csv", }\n  ]\n}\n');

    expect(() => loadMapping(path)).toThrow(
      /Invalid mapping .*mapping\.json:\n {2}not readable as JSON/,
    );
    expect(() => loadMapping(path)).toThrow(/line 3, column 24/);
  });

  it('missing mapping file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'uptake-mapping-')), 'absent.json');

    expect(() => loadMapping(path)).toThrow(
      /Invalid mapping .*absent\.json:\n {2}cannot be read \(ENOENT\)/,
    );
    expect(() => loadMapping(path)).toThrow(/pass --mapping with the path of a mapping JSON file/);
  });

  it('shipped mappings are valid', () => {
    const root = join(__dirname, '../../examples');

    expect(loadMapping(join(root, 'oulad/mapping.json')).files).toHaveLength(4);
    expect(loadMapping(join(root, 'ravenstack/mapping.json')).files).toHaveLength(5);
  });
});
