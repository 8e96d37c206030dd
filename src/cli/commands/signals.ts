import type { Command } from 'commander';

/** Registers `uptake signals`. */
export function registerSignalsCommand(program: Command): void {
  void program;
}
