import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseInstant } from '../../store/time';
import { openStore } from '../../store/database';
import { loadConfigOrThrow } from '../../service/lifecycle';
import { generateDemoPortfolio } from '../../service/demo-portfolio';
import { importDemoData, storeDemoPortfolio } from '../../service/demo-data';
import {
  readPlaybookReport,
  recheckMovedAccounts,
  waitForPlaybook,
  type PlaybookReport,
} from '../../service/demo-report';
import { outboxDir } from '../../service/delivery-wiring';
import { formatEmailSummary } from '../../service/demo-email-summary';
import { createServiceLogger, runUntilSignal } from '../../service/lifecycle';
import { startService, type RunningService } from '../../service/service';
import type { ServiceConfig } from '../../service/config';
import { exitAfterShutdown, printServiceSummary } from './serve';

interface DemoOptions {
  config?: string;
  seed: string;
  accounts: string;
  data?: string;
  mapping?: string;
  asToday?: string;
  wait: string;
  exit?: boolean;
}

function printCounts(title: string, counts: Record<string, number>): void {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  console.log(`\n${title}: ${total}`);
  for (const [key, count] of entries) console.log(`  ${String(count).padStart(5)}  ${key}`);
}

function printReport(report: PlaybookReport, service: RunningService, config: ServiceConfig): void {
  const token = service.secrets.apiTokenFile
    ? `$(cat ${service.secrets.apiTokenFile})`
    : '$UPTAKE_API_TOKEN';
  const curl = `curl -s -H "Authorization: Bearer ${token}"`;
  console.log(
    `\nChecked ${report.checkedAccounts} of ${report.accounts} accounts (${report.checks} checks).`,
  );
  printCounts('CSM tasks by rule', report.tasksByRule);
  for (const task of report.sampleTasks)
    console.log(`         ${task.owner}: ${task.title} [${task.accountId}]`);
  printCounts('In-app notices by rule', report.noticesByRule);
  const emails = formatEmailSummary({
    relay: service.emailRelay,
    outboxDir: outboxDir(config),
    dbPath: config.dbPath,
    emlFiles: report.emlFiles,
    ...report.emailFailures,
  });
  printCounts('Emails sent by rule', report.emailsByRule);
  for (const line of emails.lines) console.log(line);
  printCounts('Actions held back, by reason', report.heldByReason);
  printCounts('Outbox rows by channel and status', report.deliveriesByStatus);

  const account = report.sampleAccountId ?? 'ACCOUNT_ID';
  const user = report.sampleNotices[0]?.userId ?? 'USER_ID';
  console.log('\nHow to look:');
  console.log(`  open tasks:        ${curl} '${service.url}/v1/tasks?status=open'`);
  console.log(`  one account:       ${curl} ${service.url}/v1/accounts/${account}`);
  console.log(`  a user's notices:  ${curl} ${service.url}/v1/users/${user}/notices`);
  console.log(`  metrics:           ${curl} ${service.url}/metrics`);
  console.log(emails.howToLook);
  if (service.temporalUiUrl) {
    console.log(
      `  workflows:         ${service.temporalUiUrl}/namespaces/${config.temporalNamespace}/workflows`,
    );
  }
}

async function loadData(
  config: ServiceConfig,
  options: DemoOptions,
  logger: ReturnType<typeof createServiceLogger>,
) {
  const store = await openStore(config.dbPath);
  try {
    if (options.data) {
      const report = await importDemoData(store, {
        data: resolve(options.data),
        mapping: resolve(options.mapping as string),
        ...(options.asToday ? { asToday: options.asToday } : {}),
        logger,
      });
      console.log(
        `Imported ${options.data}: ${JSON.stringify(report.entities)}, ` +
          `${report.eventsInserted} new usage events, ${report.rejected} rows rejected.`,
      );
    } else {
      const portfolio = generateDemoPortfolio({
        seed: Number(options.seed),
        today: Date.now(),
        accountCount: Number(options.accounts),
      });
      const events = await storeDemoPortfolio(store, portfolio);
      console.log(
        `Generated ${portfolio.accounts.length} accounts, ${portfolio.users.length} users, ` +
          `${portfolio.events.length} usage events (${events} new), ${portfolio.tickets.length} tickets (seed ${options.seed}).`,
      );
    }
  } finally {
    await store.close();
  }
}

function checkOptions(options: DemoOptions): string | undefined {
  if (Boolean(options.data) !== Boolean(options.mapping))
    return '--data and --mapping go together: give both or neither';
  if (!/^\d+$/.test(options.seed))
    return `--seed ${options.seed} is invalid: expected a non-negative integer`;
  if (!/^[1-9]\d*$/.test(options.accounts))
    return `--accounts ${options.accounts} is invalid: expected a positive integer`;
  if (!/^[1-9]\d*$/.test(options.wait))
    return `--wait ${options.wait} is invalid: expected seconds as a positive integer`;
  if (options.asToday && parseInstant(options.asToday) === undefined)
    return `--as-today ${options.asToday} is invalid: expected a date such as 2014-11-15`;
  return undefined;
}

async function runDemo(options: DemoOptions): Promise<void> {
  const problem = checkOptions(options);
  if (problem) {
    console.error(problem);
    process.exitCode = 1;
    return;
  }
  // The demo keeps its data apart from a real service's unless UPTAKE_DATA_DIR is set.
  const env = { UPTAKE_DATA_DIR: '.uptake-demo', ...process.env };
  let config: ServiceConfig;
  try {
    config = loadConfigOrThrow(env, options.config);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }
  const logger = createServiceLogger({
    ...config,
    logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn',
  });
  await loadData(config, options, logger);

  const service = await startService(config, logger);
  try {
    printServiceSummary(service);
    await showPlaybook(service, config, Number(options.wait));
  } catch (error) {
    await service.close();
    throw error;
  }
  if (options.exit) {
    await service.close();
    exitAfterShutdown(0);
    return;
  }
  console.log(
    '\nServing; press Ctrl+C to stop. `uptake serve` with the same data folder resumes it.',
  );
  exitAfterShutdown(await runUntilSignal(service, logger));
}

/** Waits for the first checks (and a recheck of accounts that changed stage), then prints the report. */
async function showPlaybook(service: RunningService, config: ServiceConfig, waitSeconds: number) {
  console.log(`\nWaiting up to ${waitSeconds} s for the first check of every account...`);
  await service.reconciled;
  const deadline = Date.now() + waitSeconds * 1000;
  let settled = await waitForPlaybook(service.store, deadline - Date.now());
  if (settled) {
    const checks = (await readPlaybookReport(service.store, outboxDir(config))).checks;
    const moved = await recheckMovedAccounts(service.store, service.client, config.taskQueue);
    console.log(`First checks done; ${moved} accounts changed stage and are checked again now.`);
    settled = await waitForPlaybook(service.store, deadline - Date.now(), checks + moved);
  }
  if (!settled) console.log('(not every check finished in time; the numbers below are so far)');
  printReport(await readPlaybookReport(service.store, outboxDir(config)), service, config);
}

/** Registers `uptake demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Generate (or import) a portfolio, serve it, and show what the default playbook did',
    )
    .option('--config <file>', 'JSON file of settings, as for `uptake serve`')
    .option('--seed <n>', 'seed of the synthetic portfolio', '42')
    .option('--accounts <n>', 'number of synthetic accounts', '24')
    .option('--data <folder>', 'import this folder instead of generating data (needs --mapping)')
    .option('--mapping <file>', 'mapping file for --data, e.g. examples/oulad/mapping.json')
    .option(
      '--as-today <date>',
      'with --data: the source date that becomes today (shifts every date)',
    )
    .option('--wait <seconds>', 'how long to wait for the first checks before printing', '55')
    .option('--exit', 'stop after printing instead of serving on')
    .addHelpText(
      'after',
      '\nData goes to .uptake-demo unless UPTAKE_DATA_DIR is set; every setting of `uptake serve` applies.\n' +
        'Example on real data: uptake demo --data ../shared/data/oulad --mapping examples/oulad/mapping.json --as-today 2014-11-20',
    )
    .action(runDemo);
}
