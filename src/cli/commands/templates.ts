import type { Command } from 'commander';

/** Registers `uptake templates`. */
export function registerTemplatesCommand(program: Command): void {
  void program;
}
