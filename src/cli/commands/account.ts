import { Client, Connection } from '@temporalio/client';
import type { Command } from 'commander';
import type { LifecycleCommand } from '../../api/ports';
import { createLifecycleControl } from '../../service/lifecycle-control';
import { accountWorkflowId, defaultTaskQueue, defaultTemporalAddress } from '../../temporal/client';
import type { LifecycleView } from '../../../workflows/lifecycle-signals';

interface AccountOptions {
  address?: string;
  taskQueue?: string;
  namespace?: string;
  json?: boolean;
}

interface Target {
  address: string;
  taskQueue: string;
  namespace: string;
}

const commandHelp: Record<LifecycleCommand, string> = {
  pause: 'Pause the account workflow: no checks or deliveries until it is resumed',
  resume: 'Resume a paused account workflow; a check that fell due runs at once',
  recheck: 'Check the account now instead of at its next scheduled check',
};

/** Registers `uptake account pause|resume|recheck|state <accountId>`. */
export function registerAccountCommand(program: Command): void {
  const account = program
    .command('account')
    .description("Control an account's lifecycle workflow on Temporal and read its state")
    .addHelpText(
      'after',
      '\nThe commands talk to Temporal directly, so `uptake serve` or `uptake worker` must run\n' +
        'against the same server for a signal to take effect.',
    );

  for (const command of ['pause', 'resume', 'recheck'] as const) {
    addTargetOptions(account.command(command).description(commandHelp[command])).action(
      async (accountId: string, options: AccountOptions) => {
        await sendCommand(accountId, command, resolveTarget(options));
        console.log(`${command} sent to workflow ${accountWorkflowId(accountId)}`);
      },
    );
  }

  addTargetOptions(
    account
      .command('state')
      .description('Print the workflow state: stage, pause, next check, renewal, recent checks'),
  )
    .option('--json', 'print the state query result as one JSON object')
    .action(async (accountId: string, options: AccountOptions) => {
      const view = await readState(accountId, resolveTarget(options));
      console.log(options.json ? JSON.stringify(view, null, 2) : formatView(view));
    });
}

function addTargetOptions(command: Command): Command {
  return command
    .argument('<accountId>', 'id of the account, as stored by import or the HTTP API')
    .option(
      '--address <host:port>',
      `Temporal frontend address (default: TEMPORAL_ADDRESS or ${defaultTemporalAddress})`,
    )
    .option(
      '--task-queue <name>',
      `task queue of the account workflows (default: UPTAKE_TASK_QUEUE or ${defaultTaskQueue})`,
    )
    .option('--namespace <name>', 'Temporal namespace (default: TEMPORAL_NAMESPACE or default)');
}

function resolveTarget(options: AccountOptions): Target {
  return {
    address: options.address ?? process.env.TEMPORAL_ADDRESS ?? defaultTemporalAddress,
    taskQueue: options.taskQueue ?? process.env.UPTAKE_TASK_QUEUE ?? defaultTaskQueue,
    namespace: options.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default',
  };
}

/** Connects to Temporal, runs `work` with a lifecycle control and closes the connection. */
async function withControl<T>(
  target: Target,
  work: (control: ReturnType<typeof createLifecycleControl>) => Promise<T>,
): Promise<T> {
  const connection = await connectOrExplain(target.address);
  try {
    const client = new Client({ connection, namespace: target.namespace });
    const control = createLifecycleControl(client, {
      address: target.address,
      taskQueue: target.taskQueue,
      // Without the store at hand the CLI cannot tell a stored account from a typo.
      startMissing: false,
      source: 'the uptake CLI',
    });
    return await work(control);
  } finally {
    await connection.close();
  }
}

async function connectOrExplain(address: string): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: '5 seconds' });
  } catch (error) {
    const cause = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `cannot reach the Temporal server at ${address} (${cause}). Start \`uptake serve\`, ` +
        'or pass the address of a running server with --address or TEMPORAL_ADDRESS.',
    );
  }
}

function noWorkflow(accountId: string, target: Target): Error {
  return new Error(
    `no workflow ${accountWorkflowId(accountId)} runs in namespace "${target.namespace}" at ` +
      `${target.address}. Check the account id; an account gets its workflow when it is ` +
      'imported or sent to PUT /v1/accounts while `uptake serve` runs.',
  );
}

async function sendCommand(accountId: string, command: LifecycleCommand, target: Target) {
  const sent = await withControl(target, (control) => control.sendSignal(accountId, command));
  if (!sent) throw noWorkflow(accountId, target);
}

async function readState(accountId: string, target: Target): Promise<LifecycleView> {
  const view = await withControl(target, (control) => control.readState(accountId));
  if (!view) throw noWorkflow(accountId, target);
  return view;
}

function isoOrNone(instant: number | null): string {
  return instant === null ? 'none' : new Date(instant).toISOString();
}

/** Formats the state query result as aligned lines, newest check last. */
function formatView(view: LifecycleView): string {
  const lines = [
    `account        ${view.accountId}`,
    `stage          ${view.stage} (term ${view.termNumber})`,
    `paused         ${view.paused ? 'yes' : 'no'}`,
    `next check     ${isoOrNone(view.nextCheckAt)}`,
    `renewal        ${isoOrNone(view.renewalAt)}`,
    `checks run     ${view.checkNumber}`,
    `pending        ${view.pendingActions} action(s) waiting for quiet hours to end`,
  ];
  for (const action of view.waiting ?? []) {
    const reason = action.wait ? ` (${action.wait})` : '';
    lines.push(
      `  ${action.type} ${action.idempotencyKey} to ${action.recipient} at ${isoOrNone(action.notBefore)}${reason}`,
    );
  }
  lines.push('recent checks:');
  for (const decision of view.recentDecisions) {
    const fired = decision.firedRuleIds.join(', ') || 'no rule fired';
    const outcome = decision.error ? `failed: ${decision.error}` : fired;
    // The rules ran in the stage before the check's transition, so both stages are shown.
    const stage = decision.transition
      ? `${decision.transition.from} -> ${decision.transition.to}`
      : decision.stage;
    lines.push(`  #${decision.checkNumber} ${isoOrNone(decision.at)} ${stage}: ${outcome}`);
    for (const wait of decision.waits ?? []) {
      lines.push(`      waiting: ${wait.idempotencyKey} (${wait.reason})`);
    }
  }
  if (view.recentDecisions.length === 0) lines.push('  none yet');
  return lines.join('\n');
}
