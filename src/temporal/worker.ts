import { resolve } from 'node:path';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
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
import { loadTemplates } from '../templates';
import type { DecisionPolicy } from '../lifecycle/types';
import { silentLogger, type Logger } from '../logger';
import type { SignalOptions } from '../signals/compute';
import type { Store } from '../store/database';
import { defaultTaskQueue } from './client';

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
  /** Delivery activities; built from `mail` and the templates folder when unset. */
  delivery?: DeliveryActivities;
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
  const rules = options.rules ?? defaultRuleEngine(options, logger);
  const delivery = options.delivery ?? defaultDelivery(options, logger);
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
    activities: { ...check, ...delivery },
    ...(options.maxConcurrentActivityTaskExecutions
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
  });
}

/**
 * Builds the rule engine over the rules folder. The adapter reads the folder
 * again at most once a second, so an edited rule applies without a restart.
 */
function defaultRuleEngine(options: WorkerOptions, logger: Logger): RuleEngine {
  const rulesDir = options.rulesDir ?? resolve(projectRoot, 'rules');
  const templatesDir = options.templatesDir ?? resolve(projectRoot, 'templates');
  const watcher = new RuleSetWatcher(rulesDir, {
    templateExists: createTemplateChecker(templatesDir),
    logger,
  });
  const load = watcher.reload();
  if (!load.ok) logger.error({ rulesDir, errors: load.errors }, 'rule set invalid at start-up');
  return createRuleEngine(watcher);
}

function defaultDelivery(options: WorkerOptions, logger: Logger): DeliveryActivities {
  if (!options.mail) {
    throw new Error('createWorker needs `delivery` or `mail` (a mail transport and its config)');
  }
  const templatesDir = options.templatesDir ?? resolve(projectRoot, 'templates');
  return createDeliveryActivities({
    store: options.store,
    templates: loadTemplates(templatesDir),
    transport: options.mail.transport,
    config: options.mail.config,
    logger,
    loadFacts: createSignalsFactsLoader(),
  });
}
