import type { Command } from 'commander';

/** Registers `uptake demo`. */
export function registerDemoCommand(program: Command): void {
  void program;
}
