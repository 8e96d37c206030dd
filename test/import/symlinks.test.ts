import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPath } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import { accountsCsv, countRows, run, setUp } from './fixtures';

/** Creates a folder outside the import folder that contains a valid accounts file. */
function outsideFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'uptake-outside-'));
  writeFileSync(join(folder, 'accounts.csv'), accountsCsv);
  return folder;
}

const accountEntity = { entity: 'account', fields: { id: 'id', name: 'name' } };

describe('symbolic links', () => {
  it('file link leading outside', async () => {
    const { folder, store } = await setUp({});
    symlinkSync(join(outsideFolder(), 'accounts.csv'), join(folder, 'accounts.csv'));
    const report = await run(store, folder);
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toContain(join(folder, 'accounts.csv'));
    expect(report.files[0]?.error).toMatch(/symbolic link leads outside the import folder/);
    expect(report.files[0]?.error).toMatch(/copy the file into .* instead of linking to it/);
    expect(accounts).toBe(0);
  });

  it('folder link leading outside', async () => {
    const { folder, store } = await setUp({});
    symlinkSync(outsideFolder(), join(folder, 'linked'));
    const mapping = parseMapping({
      files: [{ file: 'linked/accounts.csv', entities: [accountEntity] }],
    });
    const report = await importPath(store, folder, mapping, { now: 0 });
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toContain(join(folder, 'linked', 'accounts.csv'));
    expect(accounts).toBe(0);
  });

  it('lookup link leading outside', async () => {
    const { folder, store } = await setUp({ 'accounts.csv': accountsCsv });
    symlinkSync(join(outsideFolder(), 'accounts.csv'), join(folder, 'names.csv'));
    const mapping = parseMapping({
      lookups: { names: { file: 'names.csv', key: ['id'] } },
      files: [{ file: 'accounts.csv', entities: [accountEntity] }],
    });
    const imported = importPath(store, folder, mapping, { now: 0 });

    await expect(imported).rejects.toThrow(/^lookup "names": .*names\.csv: a symbolic link leads/);
    await store.close();
  });

  it('link inside the folder', async () => {
    const { folder, store } = await setUp({});
    mkdirSync(join(folder, 'data'));
    writeFileSync(join(folder, 'data', 'accounts.csv'), accountsCsv);
    symlinkSync(join(folder, 'data', 'accounts.csv'), join(folder, 'accounts.csv'));
    const report = await run(store, folder, 'accounts.csv');
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(report.files[0]?.status).toBe('loaded');
    expect(accounts).toBe(2);
  });
});
