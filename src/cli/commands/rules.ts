import type { Command } from 'commander';

/** Registers `uptake rules`. */
export function registerRulesCommand(program: Command): void {
  void program;
}
