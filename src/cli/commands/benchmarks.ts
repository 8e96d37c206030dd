import type { Command } from 'commander';

/** Registers `uptake benchmarks`. */
export function registerBenchmarksCommand(program: Command): void {
  void program;
}
