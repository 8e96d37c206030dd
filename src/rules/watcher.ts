import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { silentLogger, type Logger } from '../logger';
import type { RuleError } from './errors';
import { loadRuleTexts, readRuleFolder, type LoadOptions, type RuleSetLoad } from './load';
import { ruleSetVersion } from './rule-set';
import type { RuleSet } from './types';

/** Options of `RuleSetWatcher`. */
export interface WatcherOptions extends LoadOptions {
  /** Quiet time after the last file event before reloading, in ms (default 200). */
  debounceMs?: number;
  logger?: Logger;
}

/**
 * Keeps the current rule set of a folder and reloads it when files change
 * (fs.watch, debounced). An invalid folder never replaces the last valid set.
 * The `reload` event (RuleSet) means a new version is in force, and `invalid`
 * (RuleError[]) means a change was rejected. The name `invalid` replaces
 * EventEmitter's `error` because `error` throws when nobody listens.
 */
export class RuleSetWatcher extends EventEmitter {
  private ruleSet: RuleSet | undefined;
  private rejected: { version: string; load: RuleSetLoad } | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(
    readonly dir: string,
    private readonly options: WatcherOptions,
  ) {
    super();
    this.logger = (options.logger ?? silentLogger).child({ rulesDir: dir });
  }

  /** The rule set in force, undefined until a valid one has loaded. */
  get current(): RuleSet | undefined {
    return this.ruleSet;
  }

  /** Loads the folder and starts watching it. */
  start(): RuleSetLoad {
    const load = this.reload();
    this.watcher = watch(this.dir, () => this.schedule());
    this.watcher.on('error', (error) =>
      this.logger.error({ err: error }, 'rules folder watch failed'),
    );
    return load;
  }

  /**
   * Loads the folder now and keeps the last valid set when it is invalid.
   * Unchanged files are not validated again, and an unchanged invalid folder
   * is reported once, so callers may poll this. `recheck` validates unchanged
   * files too, for a change outside the folder such as a removed template.
   */
  reload(options: { recheck?: boolean } = {}): RuleSetLoad {
    const files = readRuleFolder(this.dir);
    if ('errors' in files) return this.reject(files);
    const version = ruleSetVersion(files);
    const cached = !options.recheck;
    // Checked before the set in force, because a recheck can reject the files of that set.
    if (cached && this.rejected && version === this.rejected.version) return this.rejected.load;
    if (cached && this.ruleSet && version === this.ruleSet.version) {
      this.noteRestored(version);
      return { ok: true, ruleSet: this.ruleSet };
    }
    const load = loadRuleTexts(files, this.options);
    if (!load.ok) {
      this.rejected = { version, load };
      return this.reject(load);
    }
    if (this.ruleSet && version === this.ruleSet.version) {
      this.noteRestored(version);
      return { ok: true, ruleSet: this.ruleSet };
    }
    this.rejected = undefined;
    this.ruleSet = load.ruleSet;
    this.logger.info({ version, rules: load.ruleSet.rules.length }, 'rule set loaded');
    this.emit('reload', load.ruleSet);
    return load;
  }

  /** Logs that a folder rejected earlier is back to the set in force, so the fix is visible. */
  private noteRestored(version: string): void {
    if (this.rejected === undefined) return;
    this.rejected = undefined;
    this.logger.info({ version }, 'rule set valid again; the set in force is unchanged');
  }

  private reject(load: Extract<RuleSetLoad, { ok: false }>): RuleSetLoad {
    const [first] = load.errors;
    this.logger.error(
      { errors: load.errors.length, first },
      'rule set rejected; keeping the last valid one',
    );
    this.emit('invalid', load.errors satisfies RuleError[]);
    return load;
  }

  /** Stops watching. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload();
    }, this.options.debounceMs ?? 200);
  }
}
