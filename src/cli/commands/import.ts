import type { Command } from 'commander';

/** Registers `uptake import`. */
export function registerImportCommand(program: Command): void {
  void program;
}
