import type { Command } from 'commander';
import { NativeConnection } from '@temporalio/worker';
import { createLogger } from '../../logger';
import { loadConfig } from '../../service/config';
import { buildDeliveryActivities, createServiceMailTransport } from '../../service/delivery-wiring';
import { checkMailRelay } from '../../service/mail-relay-check';
import { ensureSecrets } from '../../service/secrets';
import { openStore } from '../../store/database';
import { defaultTemporalAddress } from '../../temporal/client';
import { createWorker } from '../../temporal/worker';
import { installTemporalRuntimeLogger } from '../../service/temporal-runtime';
import { startLiveEnrich } from '../../learn/live-enrich';

interface WorkerCommandOptions {
  config?: string;
  address?: string;
  taskQueue?: string;
}

/** Registers `uptake worker`. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Run a Temporal worker for the account workflows: checks and deliveries, without the HTTP API',
    )
    .option('--config <file>', 'optional JSON configuration file, the same as for serve')
    .option(
      '--address <host:port>',
      `Temporal frontend address (default: TEMPORAL_ADDRESS or ${defaultTemporalAddress})`,
    )
    .option('--task-queue <name>', 'task queue to poll (default: UPTAKE_TASK_QUEUE or uptake)')
    .addHelpText(
      'after',
      '\nReads the same settings as `uptake serve`: UPTAKE_DB or UPTAKE_DATA_DIR for the store,\n' +
        'UPTAKE_RULES_DIR and UPTAKE_TEMPLATES_DIR, SMTP_URL (unset: .eml files in <data>/outbox).\n' +
        'Stops cleanly on SIGINT or SIGTERM after running activities finish.',
    )
    .action(async (options: WorkerCommandOptions) => {
      await runWorker(options);
    });
}

async function runWorker(options: WorkerCommandOptions): Promise<void> {
  const load = loadConfig(process.env, options.config);
  if (!load.ok) {
    for (const error of load.errors) console.error(error);
    process.exitCode = 1;
    return;
  }
  const config = load.config;
  const logger = createLogger({ pretty: process.stdout.isTTY, level: config.logLevel });
  installTemporalRuntimeLogger(logger);
  const address = options.address ?? config.temporalAddress ?? defaultTemporalAddress;
  const taskQueue = options.taskQueue ?? config.taskQueue;

  const connection = await connectTemporal(address);
  const store = await openStore(config.dbPath);
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const learned = await startLiveEnrich(store, logger);
  const transport = createServiceMailTransport(config);
  let worker;
  try {
    worker = await createWorker({
      connection,
      store,
      namespace: config.temporalNamespace,
      taskQueue,
      rulesDir: config.rulesDir,
      templatesDir: config.templatesDir,
      delivery: buildDeliveryActivities(
        config,
        ensureSecrets(config),
        store,
        logger,
        publicUrl,
        transport,
      ),
      signalOptions: { enrich: learned.enrich },
      logger,
    });
  } catch (error) {
    // Nothing runs yet, so release what start-up opened and let the CLI report the error.
    learned.stop();
    transport.close();
    await connection.close();
    await store.close();
    throw error;
  }
  void checkMailRelay(transport, logger);

  const stop = (signal: string): void => {
    logger.info({ signal }, 'worker stopping');
    worker.shutdown();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  logger.info({ address, taskQueue, store: config.dbPath }, 'worker running');
  try {
    await worker.run();
  } finally {
    learned.stop();
    transport.close();
    await connection.close();
    await store.close();
    logger.info({ taskQueue }, 'worker stopped');
  }
}

/** Connects to Temporal, turning the SDK's transport error into one that names the address and the fix. */
async function connectTemporal(address: string): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address });
  } catch (error) {
    const cause = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `cannot reach the Temporal server at ${address} (${cause}). Start one, for example ` +
        '`temporal server start-dev`, or pass its address with --address or TEMPORAL_ADDRESS; ' +
        '`uptake serve` without TEMPORAL_ADDRESS runs its own.',
    );
  }
}
