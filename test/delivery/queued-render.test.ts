import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport } from '../../src/delivery/mail-transport';
import type { Store } from '../../src/store/database';
import { loadTemplates, type LoadedTemplates } from '../../src/templates/load-templates';
import { defaultTemplatesDir } from '../../src/templates/template-files';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

describe('email waiting for the relay', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let editedDir: string;

  beforeEach(async () => {
    ({ store, cleanup } = await createTestStore());
    editedDir = mkdtempSync(join(tmpdir(), 'uptake-edited-templates-'));
    cpSync(defaultTemplatesDir, editedDir, { recursive: true });
    writeFileSync(join(editedDir, 'email', 'key-features.subject.hbs'), 'Edited subject');
  });

  afterEach(async () => {
    rmSync(editedDir, { recursive: true, force: true });
    await cleanup();
  });

  it('renders with the templates in force at its turn', async () => {
    let inForce: LoadedTemplates = loadTemplates();
    const edited = loadTemplates(editedDir);
    const subjects: string[] = [];
    // The edit lands while the relay takes the first message and the second one waits.
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        void simpleParser(stream).then((mail) => {
          subjects.push(mail.subject ?? '');
          inForce = edited;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const transport = createMailTransport({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: '/nonexistent',
    });
    const deps = { ...createDeps(store, transport), templates: () => inForce };

    try {
      await Promise.all(
        ['u-ada', 'u-bob'].map((recipient) =>
          deliverEmail(deps, plannedAction('email', { recipient })),
        ),
      );
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    expect(subjects).toHaveLength(2);
    expect(subjects[0]).not.toBe('Edited subject');
    expect(subjects[1]).toBe('Edited subject');
  });
});
