import type { Command } from 'commander';

/** Registers `uptake serve`. */
export function registerServeCommand(program: Command): void {
  void program;
}
