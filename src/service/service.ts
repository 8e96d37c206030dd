import { dirname } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import type { ApiDependencies } from '../api/ports';
import type { Logger } from '../logger';
import { openStore, type Store } from '../store/database';
import { createWorker } from '../temporal/worker';
import { createAccountStateReader } from './account-state';
import { prepareFolder } from './data-dir';
import type { ServiceConfig } from './config';
import { createDeliveryQueries } from './delivery-queries';
import { listAccountDeliveries } from './delivery-outcomes';
import { buildDeliveryActivities, createServiceMailTransport } from './delivery-wiring';
import { checkMailRelay } from './mail-relay-check';
import { countDeliveries } from './delivery-metrics';
import { createEarlyAdopterCheck } from './early-adopters';
import { createFeedbackRouter } from './feedback-router';
import { createLifecycleControl } from './lifecycle-control';
import { startReconciliation } from './reconcile';
import { listRunningAccountWorkflows } from './running-workflows';
import { ensureSecrets, type ServiceSecrets } from './secrets';
import { createStoreIngest } from './store-ingest';
import { startDevServer, type DevServer } from './temporal-dev-server';
import { checkRuleSetAtStartup, warnWhenAppUrlUnset } from './startup-checks';
import { installTemporalRuntimeLogger } from './temporal-runtime';
import { createWorkflowNotifier } from './workflow-notifier';
import { startLiveEnrich, type LiveEnrich } from '../learn/live-enrich';

/** A running `uptake serve`: where to reach it, and how to stop it. */
export interface RunningService {
  /** Base URL of the HTTP API. */
  url: string;
  secrets: ServiceSecrets;
  store: Store;
  client: Client;
  temporalAddress: string;
  /** Temporal Web UI of the dev server; undefined with an external Temporal. */
  temporalUiUrl?: string;
  /** Host and port of the SMTP relay emails go to; null when they go to .eml files. */
  emailRelay: string | null;
  /** Resolves once the start-up pass that ensures every account workflow has ended. */
  reconciled: Promise<void>;
  /** Resolves when the worker stops, on its own (a fatal error) or by `close()`. */
  workerStopped: Promise<void>;
  close(): Promise<void>;
}

interface Parts {
  store?: Store;
  devServer?: DevServer;
  connection?: Connection;
  nativeConnection?: NativeConnection;
  worker?: Worker;
  workerRun?: Promise<void>;
  app?: FastifyInstance;
  learned?: LiveEnrich;
}

/**
 * Stops the parts in the order that loses nothing: the HTTP listener first
 * (no new requests), then the worker (it finishes running activities), then
 * the Temporal connections and dev server, and the store last.
 */
async function stopParts(parts: Parts, logger: Logger): Promise<void> {
  const step = async (name: string, stop: () => Promise<unknown>) => {
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error, part: name }, 'shutdown step failed');
    }
  };
  if (parts.app) await step('http', () => parts.app!.close());
  if (parts.worker && parts.worker.getState() === 'RUNNING') {
    parts.worker.shutdown();
  }
  if (parts.workerRun) await step('worker', () => parts.workerRun!);
  if (parts.nativeConnection)
    await step('worker connection', () => parts.nativeConnection!.close());
  if (parts.connection) await step('client connection', () => parts.connection!.close());
  if (parts.devServer) await step('dev server', () => parts.devServer!.stop());
  parts.learned?.stop();
  if (parts.store) await step('store', () => parts.store!.close());
}

function buildDependencies(
  config: ServiceConfig,
  store: Store,
  client: Client,
  secrets: ServiceSecrets,
  logger: Logger,
  temporalAddress: string,
): ApiDependencies {
  const delivery = createDeliveryQueries(store, secrets.unsubscribeSecret);
  return {
    store,
    ingest: createStoreIngest(store),
    workflows: createWorkflowNotifier(client, config.taskQueue, logger),
    delivery,
    readAccountState: createAccountStateReader(store),
    listDeliveries: (accountId, filter) => listAccountDeliveries(store, accountId, filter),
    isEarlyAdopter: createEarlyAdopterCheck(store),
    routeFeedback: createFeedbackRouter({
      store,
      productOwner: config.productOwner,
      createTask: delivery.createTask,
      logger,
      ...(config.feedbackWebhookUrl ? { webhookUrl: config.feedbackWebhookUrl } : {}),
    }),
    // The routes check that the account is stored, so a signal may start a missing workflow.
    lifecycle: createLifecycleControl(client, {
      address: temporalAddress,
      taskQueue: config.taskQueue,
      startMissing: true,
      source: 'the HTTP API',
    }),
  };
}

/** Starts the HTTP listener, turning a taken or forbidden port into a message that names PORT. */
async function listenOrExplain(app: FastifyInstance, config: ServiceConfig): Promise<string> {
  try {
    return await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `PORT=${config.port} on ${config.host} is already in use: stop the process that ` +
          'listens there, or set PORT to a free port',
      );
    }
    if (code === 'EACCES') {
      throw new Error(
        `PORT=${config.port} on ${config.host} cannot be opened by this user (EACCES): ` +
          'set PORT to 1024 or above',
      );
    }
    throw error;
  }
}

/**
 * Starts everything `uptake serve` runs in one process: the SQLite store,
 * the Temporal dev server when TEMPORAL_ADDRESS is unset, the worker with the
 * account workflows and delivery activities, and the HTTP API. A failure
 * while starting stops what had started and rethrows.
 */
export async function startService(config: ServiceConfig, logger: Logger): Promise<RunningService> {
  const parts: Parts = {};
  try {
    prepareFolder('UPTAKE_DATA_DIR', config.dataDir);
    const dbFolder = dirname(config.dbPath);
    if (dbFolder !== config.dataDir) prepareFolder('UPTAKE_DB', config.dbPath, dbFolder);
    checkRuleSetAtStartup(config);
    installTemporalRuntimeLogger(logger);
    const secrets = ensureSecrets(config);
    parts.store = await openStore(config.dbPath);
    logger.info({ dbPath: config.dbPath }, 'store open');

    if (!config.temporalAddress) {
      parts.devServer = await startDevServer({
        dataDir: config.dataDir,
        port: config.temporalDevPort,
        uiPort: config.temporalUiPort,
        namespace: config.temporalNamespace,
        logger,
      });
    }
    const temporalAddress = config.temporalAddress ?? parts.devServer!.address;
    parts.connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({
      connection: parts.connection,
      namespace: config.temporalNamespace,
    });
    parts.nativeConnection = await NativeConnection.connect({ address: temporalAddress });

    // Unsubscribe links must reach this API; the listen URL serves when no public URL is set.
    const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
    warnWhenAppUrlUnset(config, publicUrl, logger);
    parts.learned = await startLiveEnrich(parts.store, logger);
    const transport = createServiceMailTransport(config);
    parts.worker = await createWorker({
      connection: parts.nativeConnection,
      store: parts.store,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      rulesDir: config.rulesDir,
      templatesDir: config.templatesDir,
      delivery: buildDeliveryActivities(config, secrets, parts.store, logger, publicUrl, transport),
      signalOptions: { enrich: parts.learned.enrich },
      logger,
    });
    parts.workerRun = parts.worker.run();
    const workerStopped = parts.workerRun.catch((error: unknown) => {
      logger.fatal({ err: error }, 'worker stopped with an error');
    });
    logger.info({ temporalAddress, taskQueue: config.taskQueue }, 'worker running');

    const deps = buildDependencies(config, parts.store, client, secrets, logger, temporalAddress);
    parts.app = await buildApp(deps, {
      logger,
      apiToken: secrets.apiToken,
      metrics: createMetrics(() => countDeliveries(deps.store)),
      maxBatchSize: config.maxBatchSize,
      maxBodyBytes: config.maxBodyBytes,
      metricsPublic: config.metricsPublic,
    });
    const url = await listenOrExplain(parts.app, config);
    logger.info({ url }, 'HTTP API listening');
    // The relay may come up later, so its check only logs and start-up goes on without it.
    void checkMailRelay(transport, logger);

    const reconciliation = startReconciliation({
      store: parts.store,
      ensure: (accountId) => deps.workflows.accountsUpserted([accountId]),
      listRunning: () => listRunningAccountWorkflows(client),
      logger,
    });
    let closing: Promise<void> | undefined;
    return {
      url,
      secrets,
      store: parts.store,
      client,
      temporalAddress,
      emailRelay: transport.relay,
      ...(parts.devServer ? { temporalUiUrl: parts.devServer.uiUrl } : {}),
      reconciled: reconciliation.done,
      workerStopped,
      // The pass stops first, so no ensure call meets a closed connection.
      close: () => (closing ??= reconciliation.stop().then(() => stopParts(parts, logger))),
    };
  } catch (error) {
    await stopParts(parts, logger);
    throw error;
  }
}
