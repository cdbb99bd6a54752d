/**
 * The benchmark contract: each suite measures one capability and returns rows. `npm run bench`
 * runs every suite, prints one table and writes the rows as JSON (bench-results/latest.json).
 */
export interface BenchRow {
  /** Which suite, e.g. "ingest". */
  readonly suite: string;
  /** What was measured, e.g. "JSONL file → SQLite". */
  readonly name: string;
  readonly value: number;
  /** e.g. "events/s", "ms", "MiB", "bytes/event", "ratio". */
  readonly unit: string;
  /** The target, where one is set, e.g. ">= 50000". */
  readonly target?: string;
  /** Whether the target is met (undefined when there is no target). */
  readonly met?: boolean;
  readonly note?: string;
}

export interface BenchmarkSuite {
  readonly name: string;
  run(options: { readonly quick: boolean; readonly workDir: string }): Promise<BenchRow[]>;
}

export function atLeast(value: number, target: number): Pick<BenchRow, 'target' | 'met'> {
  return { target: `>= ${target}`, met: value >= target };
}

export function atMost(value: number, target: number): Pick<BenchRow, 'target' | 'met'> {
  return { target: `<= ${target}`, met: value <= target };
}
