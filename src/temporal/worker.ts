import { resolve } from 'node:path';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createCheckActivities } from '../../activities/check';
import type { DeliveryActivities } from '../lifecycle/delivery-port';
import type { RuleEngine } from '../lifecycle/rule-engine';
import type { DecisionPolicy } from '../lifecycle/types';
import { silentLogger, type Logger } from '../logger';
import type { SignalOptions } from '../signals/compute';
import type { Store } from '../store/database';
import { defaultTaskQueue } from './client';

/** The workflows entry file that the worker bundles. */
export const workflowsPath = resolve(__dirname, '..', '..', 'workflows', 'index.ts');

/** What a worker needs; rules and delivery are built from the folders unless given. */
export interface WorkerOptions {
  connection: NativeConnection;
  store: Store;
  namespace?: string;
  taskQueue?: string;
  rulesDir?: string;
  templatesDir?: string;
  rules?: RuleEngine;
  delivery?: DeliveryActivities;
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
  const rules = options.rules ?? (await defaultRuleEngine(options));
  const delivery = options.delivery ?? (await defaultDelivery(options, logger));
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

async function defaultRuleEngine(options: WorkerOptions): Promise<RuleEngine> {
  void options;
  // TODO: wire loadRuleSet/evaluateRules from the rules module once it lands.
  throw new Error('createWorker: pass `rules` until the rules module is available');
}

async function defaultDelivery(
  options: WorkerOptions,
  logger: Logger,
): Promise<DeliveryActivities> {
  void options;
  void logger;
  // TODO: wire createDeliveryActivities from activities/deliver.ts once it lands.
  throw new Error('createWorker: pass `delivery` until the delivery activities are available');
}
