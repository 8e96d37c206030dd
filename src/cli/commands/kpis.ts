import type { Command } from 'commander';

/** Registers `uptake kpis`. */
export function registerKpisCommand(program: Command): void {
  void program;
}
