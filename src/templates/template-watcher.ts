import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { silentLogger, type Logger } from '../logger';
import type { TemplateProblem } from './check-template';
import { loadTemplates, TemplateLoadError, type LoadedTemplates } from './load-templates';
import { checkTemplatesRender } from './sample-check';
import { templateTypes } from './template-files';

/** Options of `TemplateWatcher`. */
export interface TemplateWatcherOptions {
  /** Quiet time after the last file event before reloading, in ms (default 200). */
  debounceMs?: number;
  logger?: Logger;
}

/** Result of loading a templates folder: the set in force, or the problems that rejected it. */
export type TemplateLoad =
  { ok: true; templates: LoadedTemplates } | { ok: false; problems: TemplateProblem[] };

/** Subfolders that `loadTemplates` reads; each is watched besides the folder itself. */
const watchedFolders = [...templateTypes, 'layouts', 'partials'];

/**
 * Keeps the current templates of a folder and reloads them when a file in the
 * folder or in one of its subfolders changes (fs.watch, debounced). A change
 * that fails to load never replaces the last valid set. The `reload` event
 * (LoadedTemplates) means a new set is in force, and `invalid`
 * (TemplateProblem[]) means a change was rejected. `change` follows every
 * reload that a file change caused. The name `invalid` replaces EventEmitter's
 * `error` because `error` throws when no listener is registered.
 */
export class TemplateWatcher extends EventEmitter {
  private templates: LoadedTemplates | undefined;
  private version: string | undefined;
  private rejected: { version: string; load: TemplateLoad } | undefined;
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private watching = false;
  private readonly logger: Logger;

  constructor(
    readonly dir: string,
    private readonly options: TemplateWatcherOptions = {},
  ) {
    super();
    this.logger = (options.logger ?? silentLogger).child({ templatesDir: dir });
  }

  /** The templates in force, undefined until a valid set has loaded. */
  get current(): LoadedTemplates | undefined {
    return this.templates;
  }

  /** Returns the templates in force, and throws when no valid set has loaded yet. */
  requireCurrent(): LoadedTemplates {
    if (this.templates) return this.templates;
    throw new Error(
      `no valid templates loaded from ${this.dir}. Fix the template errors in the log and save the file again.`,
    );
  }

  /** Loads the folder and starts watching it and its subfolders. */
  start(): TemplateLoad {
    const load = this.reload();
    this.watching = true;
    this.syncWatchers();
    return load;
  }

  /**
   * Loads the folder now and keeps the last valid set when the load fails.
   * Unchanged files are not compiled again, and an unchanged invalid folder
   * is reported once, so callers may poll this.
   */
  reload(): TemplateLoad {
    let version: string;
    try {
      version = templatesVersion(this.dir);
    } catch (error) {
      const load = { ok: false as const, problems: problemsOf(this.dir, error) };
      this.reject(load.problems);
      return load;
    }
    if (this.templates && version === this.version) {
      this.noteRestored(version);
      return { ok: true, templates: this.templates };
    }
    if (this.rejected && version === this.rejected.version) return this.rejected.load;

    const load = loadFolder(this.dir);
    if (!load.ok) {
      this.rejected = { version, load };
      this.reject(load.problems);
      return load;
    }
    this.rejected = undefined;
    this.templates = load.templates;
    this.version = version;
    this.logger.info(
      { version, email: load.templates.email.size, notice: load.templates.notice.size },
      'templates loaded',
    );
    this.emit('reload', load.templates);
    return load;
  }

  /** Logs that a folder rejected earlier is back to the set in force, so the fix is visible. */
  private noteRestored(version: string): void {
    if (this.rejected === undefined) return;
    this.rejected = undefined;
    this.logger.info({ version }, 'templates valid again; the set in force is unchanged');
  }

  /** Stops watching and drops a reload already scheduled. */
  stop(): void {
    this.watching = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private reject(problems: TemplateProblem[]): void {
    const [first] = problems;
    this.logger.error(
      { file: first?.file, line: first?.line, problems: problems.length, reason: first?.message },
      'templates rejected; keeping the last valid set',
    );
    this.emit('invalid', problems);
  }

  /** Watches the folder and each subfolder that exists now; a new subfolder joins on the next reload. */
  private syncWatchers(): void {
    if (!this.watching) return;
    for (const folder of ['', ...watchedFolders]) {
      const path = join(this.dir, folder);
      const present = existsSync(path);
      const watcher = this.watchers.get(path);
      if (watcher && !present) {
        watcher.close();
        this.watchers.delete(path);
      }
      if (!watcher && present) this.watchFolder(path);
    }
  }

  private watchFolder(path: string): void {
    try {
      const watcher = watch(path, () => this.schedule());
      watcher.on('error', (error) => {
        this.logger.error({ err: error, folder: path }, 'templates folder watch failed');
        watcher.close();
        this.watchers.delete(path);
      });
      this.watchers.set(path, watcher);
    } catch (error) {
      this.logger.error({ err: error, folder: path }, 'templates folder watch failed');
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload();
      this.syncWatchers();
      // Emitted after each reload that the watch triggers, valid or not, so that checks reading
      // these files (such as rule validation) can run again.
      this.emit('change');
    }, this.options.debounceMs ?? 200);
  }
}

/**
 * Loads `dir` and renders every template against the sample account, as
 * `uptake templates check` does, turning every failure into problems that name
 * a file. A set that compiles but fails to render, such as one using an
 * undefined variable, would fail each send of that template.
 */
function loadFolder(dir: string): TemplateLoad {
  let templates: LoadedTemplates;
  try {
    templates = loadTemplates(dir);
  } catch (error) {
    return { ok: false, problems: problemsOf(dir, error) };
  }
  const problems = checkTemplatesRender(templates);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, templates };
}

/** Lists the problems of a failed load; a file system error names the path it failed on. */
function problemsOf(dir: string, error: unknown): TemplateProblem[] {
  if (error instanceof TemplateLoadError) return error.problems;
  // A file removed or unreadable between listing and reading lands here.
  const path = (error as NodeJS.ErrnoException).path;
  const file = path === undefined ? '.' : relative(dir, path) || '.';
  const message = error instanceof Error ? error.message : String(error);
  return [{ file, message }];
}

/** Hashes the path and text of every template file, so an unchanged folder is not compiled again. */
function templatesVersion(dir: string): string {
  const hash = createHash('sha256');
  for (const folder of watchedFolders) {
    const path = join(dir, folder);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path)
      .filter((name) => name.endsWith('.hbs'))
      .sort()) {
      hash.update(`${folder}/${file}\0`);
      hash.update(readTextOrMissing(join(path, file)));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function readTextOrMissing(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // Deleted since the listing: the next file event reloads again.
    return '\0missing';
  }
}
