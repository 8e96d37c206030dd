import type { Command } from 'commander';

/** Registers `uptake backtest`. */
export function registerBacktestCommand(program: Command): void {
  void program;
}
