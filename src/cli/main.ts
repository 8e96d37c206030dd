import { Command } from 'commander';
import { registerAccountCommand } from './commands/account';
import { registerBacktestCommand } from './commands/backtest';
import { registerBenchmarksCommand } from './commands/benchmarks';
import { registerDemoCommand } from './commands/demo';
import { registerImportCommand } from './commands/import';
import { registerKpisCommand } from './commands/kpis';
import { registerRulesCommand } from './commands/rules';
import { registerServeCommand } from './commands/serve';
import { registerSignalsCommand } from './commands/signals';
import { registerTemplatesCommand } from './commands/templates';
import { registerWorkerCommand } from './commands/worker';

/** Builds the `uptake` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('uptake')
    .description(
      'Customer-success automation: JSON rules over usage signals, one Temporal workflow per account',
    )
    .showHelpAfterError();

  registerServeCommand(program);
  registerWorkerCommand(program);
  registerImportCommand(program);
  registerSignalsCommand(program);
  registerAccountCommand(program);
  registerRulesCommand(program);
  registerTemplatesCommand(program);
  registerKpisCommand(program);
  registerBenchmarksCommand(program);
  registerBacktestCommand(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI on `argv` and sets a failing exit code with the error's message. */
export function runCli(argv: string[] = process.argv): Promise<void> {
  return buildProgram()
    .parseAsync(argv)
    .then(() => undefined)
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    });
}

// bin/uptake.js calls runCli itself, because under npx or a symlink its path is not this module.
if (require.main === module) void runCli();
