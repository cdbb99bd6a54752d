import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { atMost, type BenchmarkSuite, type BenchRow } from './benchmark.js';
import { spawnSimulator, VIGIL_BIN } from './spawn-simulator.js';

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'resource-report.js');

interface ProcessCost {
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMiB: number;
  readonly stdout: string;
}

/** Runs `vigil <args>` as its own process and returns what the whole process cost. */
async function vigil(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  usageFile: string,
): Promise<ProcessCost> {
  const t = performance.now();
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', PRELOAD, VIGIL_BIN, ...args],
      { env: { ...process.env, ...env, VIGIL_BENCH_USAGE: usageFile }, maxBuffer: 64 << 20 },
      (error, out, err) =>
        error ? reject(new Error(`vigil ${args.join(' ')}: ${err || error.message}`)) : resolve(out),
    ),
  );
  const wallS = (performance.now() - t) / 1000;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
    userCPUTime: number;
    systemCPUTime: number;
    maxRSS: number;
  };
  return {
    wallS,
    cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    peakRssMiB: usage.maxRSS / 1024,
    stdout,
  };
}

/**
 * Issue 20: what `vigil collect --once` costs as a whole process (what a small VM or a cron job
 * pays): a backfill from the simulator in another process, then an incremental run on the store it
 * built, which finds only what the simulator's live traffic published meanwhile. Targets: backfill
 * peak RSS ≤ 150 MiB for 200,000 events; incremental ≤ 1 s and ≤ 100 MiB.
 */
export const COLLECT_COST_BENCHMARK: BenchmarkSuite = {
  name: 'collect-cost',
  async run({ quick, workDir }) {
    const rows: BenchRow[] = [];
    const sim = await spawnSimulator(quick ? 300 : 1000, quick ? 10 : 30);
    try {
      const data = path.join(workDir, 'data');
      const env = { VIGIL_BENCH_TOKEN: sim.token };
      const usage = path.join(workDir, 'usage.json');
      await vigil(
        [
          'source',
          'add',
          'okta',
          '--data',
          data,
          '--name',
          'okta',
          '--url',
          sim.url,
          '--token-env',
          'VIGIL_BENCH_TOKEN',
        ],
        env,
        usage,
      );
      const backfill = await vigil(['collect', '--once', '--json', '--data', data], env, usage);
      const events =
        (JSON.parse(backfill.stdout) as { sources: { stored: number }[] }).sources[0]?.stored ?? 0;
      const note = `${events} events, whole process`;
      rows.push(
        {
          suite: 'collect-cost',
          name: 'backfill: peak RSS',
          value: backfill.peakRssMiB,
          unit: 'MiB',
          ...atMost(backfill.peakRssMiB, 150),
          note,
        },
        { suite: 'collect-cost', name: 'backfill: wall time', value: backfill.wallS, unit: 's', note },
        {
          suite: 'collect-cost',
          name: 'backfill: CPU per event',
          value: (backfill.cpuS * 1e6) / Math.max(1, events),
          unit: 'µs/event',
          note: `${backfill.cpuS.toFixed(1)} CPU s, all threads`,
        },
      );
      const incremental = await vigil(['collect', '--once', '--json', '--data', data], env, usage);
      const fresh =
        (JSON.parse(incremental.stdout) as { sources: { stored: number }[] }).sources[0]?.stored ?? 0;
      // The simulator's live traffic goes on: a run finds the few events published since the last.
      const on = `${fresh} new events, on a store of ${events}`;
      rows.push(
        {
          suite: 'collect-cost',
          name: 'incremental: wall time',
          value: incremental.wallS,
          unit: 's',
          ...atMost(incremental.wallS, 1),
          note: on,
        },
        { suite: 'collect-cost', name: 'incremental: CPU', value: incremental.cpuS, unit: 's', note: on },
        {
          suite: 'collect-cost',
          name: 'incremental: peak RSS',
          value: incremental.peakRssMiB,
          unit: 'MiB',
          ...atMost(incremental.peakRssMiB, 100),
          note: on,
        },
      );
    } finally {
      sim.stop();
    }
    return rows;
  },
};
