import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  NativeConnection,
  Worker,
  type WorkerPlugin,
  type WorkflowBundle,
} from '@temporalio/worker';
import { createCheckActivities } from '../../activities/check';
import type { DeliveryActivities } from '../lifecycle/delivery-port';
import type { RuleEngine } from '../lifecycle/rule-engine';
import { createRuleEngine } from '../lifecycle/rules-adapter';
import { createTemplateChecker } from '../rules/template-check';
import { RuleSetWatcher } from '../rules/watcher';
import { createDeliveryActivities } from '../../activities/deliver';
import { projectRoot } from '../config';
import type { DeliveryConfig } from '../delivery/config';
import type { MailTransport } from '../delivery/mail-transport';
import { createSignalsFactsLoader } from '../delivery/signals-facts';
import { TemplateLoadError, type LoadedTemplates } from '../templates/load-templates';
import { TemplateWatcher } from '../templates/template-watcher';
import type { DecisionPolicy } from '../lifecycle/types';
import { silentLogger, type Logger } from '../logger';
import type { SignalOptions } from '../signals/compute';
import type { Store } from '../store/database';
import { defaultTaskQueue } from './client';

/** Builds delivery activities that call `templates` at each send for the set in force. */
export type DeliveryFactory = (templates: () => LoadedTemplates) => DeliveryActivities;

/** The workflows entry file that the worker bundles. */
export const workflowsPath = resolve(__dirname, '..', '..', 'workflows', 'index.ts');

/** Options of createWorker. Rules and delivery are built from the folders unless given. */
export interface WorkerOptions {
  connection: NativeConnection;
  store: Store;
  namespace?: string;
  taskQueue?: string;
  rulesDir?: string;
  templatesDir?: string;
  rules?: RuleEngine;
  /**
   * Delivery activities, or a function that builds them over the templates in
   * force, which the worker reloads while it runs. Built from `mail` when unset.
   */
  delivery?: DeliveryActivities | DeliveryFactory;
  mail?: { transport: MailTransport; config: DeliveryConfig };
  logger?: Logger;
  policy?: Partial<DecisionPolicy>;
  signalOptions?: SignalOptions;
  /** A prebuilt bundle, so that tests and benchmarks bundle the workflows once per process. */
  workflowBundle?: WorkflowBundle;
  /** Upper bound of concurrent activities; Temporal's default applies when unset. */
  maxConcurrentActivityTaskExecutions?: number;
}

/**
 * Creates a worker that runs the account workflows with the check activity
 * and the delivery activities. Call `run()` on it, and `shutdown()` to stop.
 */
export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const logger = options.logger ?? silentLogger;
  const ruleFolder = options.rules ? undefined : defaultRuleEngine(options, logger);
  const rules = options.rules ?? ruleFolder!.engine;
  const delivery =
    typeof options.delivery === 'object'
      ? { activities: options.delivery, templates: undefined }
      : watchedDelivery(options, options.delivery, logger);
  // Rules name templates, so a template added or removed may change whether the rules are valid.
  if (ruleFolder && delivery.templates) {
    delivery.templates.on('change', () => ruleFolder.watcher.reload({ recheck: true }));
  }
  const check = createCheckActivities({
    store: options.store,
    rules,
    logger,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.signalOptions ? { signalOptions: options.signalOptions } : {}),
  });

  const workflows = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    ...workflows,
    activities: { ...check, ...delivery.activities },
    plugins: [folderWatchPlugin([ruleFolder?.watcher, delivery.templates])],
    ...(options.maxConcurrentActivityTaskExecutions
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
  });
}

/**
 * Builds the rule engine over the rules folder. The adapter reads the folder
 * again at most once a second, so an edited rule applies without a restart, and
 * the watcher reports an invalid edit about 200 ms (its debounce) after the save.
 */
function defaultRuleEngine(
  options: WorkerOptions,
  logger: Logger,
): { engine: RuleEngine; watcher: RuleSetWatcher } {
  const rulesDir = options.rulesDir ?? resolve(projectRoot, 'rules');
  const templatesDir = options.templatesDir ?? resolve(projectRoot, 'templates');
  if (!existsSync(rulesDir)) {
    throw new Error(
      `rules folder not found at ${resolve(rulesDir)}; set UPTAKE_RULES_DIR to the folder of ` +
        'rule files (the shipped playbook is in rules/)',
    );
  }
  const watcher = new RuleSetWatcher(rulesDir, {
    templateExists: createTemplateChecker(templatesDir),
    logger,
  });
  const load = watcher.reload();
  if (!load.ok) logger.error({ rulesDir, errors: load.errors }, 'rule set invalid at start-up');
  return { engine: createRuleEngine(watcher), watcher };
}

/** A folder watcher that the worker starts with `run()` and stops when it ends. */
interface FolderWatch {
  start(): unknown;
  stop(): void;
}

/**
 * Watches the rules and templates folders while the worker runs, and stops
 * watching when `run()` ends, so a shut-down worker leaves no file watch open.
 * NOTE: worker plugins are experimental in @temporalio/worker 1.24.
 */
function folderWatchPlugin(watches: (FolderWatch | undefined)[]): WorkerPlugin {
  const active = watches.filter((watch): watch is FolderWatch => watch !== undefined);
  return {
    name: 'uptake-folder-watch',
    async runWorker(worker, next) {
      for (const watch of active) watch.start();
      try {
        await next(worker);
      } finally {
        for (const watch of active) watch.stop();
      }
    },
  };
}

/**
 * Builds the delivery activities over a watcher of the templates folder, so
 * each send uses the set in force. A template error at start-up throws with
 * each file and line. Watching starts when the worker runs.
 */
function watchedDelivery(
  options: WorkerOptions,
  factory: DeliveryFactory | undefined,
  logger: Logger,
): { activities: DeliveryActivities; templates: TemplateWatcher } {
  const build = factory ?? mailDelivery(options, logger);
  const templatesDir = options.templatesDir ?? resolve(projectRoot, 'templates');
  const templates = new TemplateWatcher(templatesDir, { logger });
  const load = templates.reload();
  if (!load.ok) throw new TemplateLoadError(load.problems);
  return { activities: build(() => templates.requireCurrent()), templates };
}

function mailDelivery(options: WorkerOptions, logger: Logger): DeliveryFactory {
  const mail = options.mail;
  if (!mail) {
    throw new Error('createWorker needs `delivery` or `mail` (a mail transport and its config)');
  }
  return (templates) =>
    createDeliveryActivities({
      store: options.store,
      templates,
      transport: mail.transport,
      config: mail.config,
      logger,
      loadFacts: createSignalsFactsLoader(),
    });
}
