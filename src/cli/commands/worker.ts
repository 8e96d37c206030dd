import type { Command } from 'commander';

/** Registers `uptake worker`. */
export function registerWorkerCommand(program: Command): void {
  void program;
}
