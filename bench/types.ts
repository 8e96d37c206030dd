/** One measured figure. `ratio` compares it with a baseline measured in the same run. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value, or the inverse where lower is better (`note` states which). */
  ratio?: number;
  goal?: string;
  note?: string;
}

/** A benchmark file exports one of these as default. */
export interface Bench {
  title: string;
  run(): Promise<BenchFigure[]>;
}
