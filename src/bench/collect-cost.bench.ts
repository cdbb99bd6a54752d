import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../core/heap-policy.js';
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
      // The collector's own memory policy (collect.heapGrowthPercent's default), then V8's (0), to
      // show what the policy costs and saves. Node runs with its defaults: no flags, as from cron.
      for (const growth of [DEFAULT_HEAP_GROWTH_PERCENT, 0]) {
        const data = path.join(workDir, `data-${growth}`);
        rows.push(...(await collectCost(sim, data, path.join(workDir, 'usage.json'), growth)));
      }
    } finally {
      sim.stop();
    }
    return rows;
  },
};

/** A backfill into `data`, then an incremental run on it, each as a whole process. */
async function collectCost(
  sim: { url: string; token: string },
  data: string,
  usage: string,
  heapGrowthPercent: number,
): Promise<BenchRow[]> {
  const env = { VIGIL_BENCH_TOKEN: sim.token };
  const args = ['source', 'add', 'okta', '--data', data, '--name', 'okta', '--url', sim.url];
  await vigil([...args, '--token-env', 'VIGIL_BENCH_TOKEN'], env, usage);
  const config = path.join(data, 'vigil.yaml');
  const yaml = readFileSync(config, 'utf8');
  const policy = `heapGrowthPercent: ${DEFAULT_HEAP_GROWTH_PERCENT}`;
  if (!yaml.includes(policy)) throw new Error(`${config}: no "${policy}" to change`);
  writeFileSync(config, yaml.replace(policy, `heapGrowthPercent: ${heapGrowthPercent}`));
  // Rows of the default policy keep their plain names; the others say which policy they measure.
  const label =
    heapGrowthPercent === DEFAULT_HEAP_GROWTH_PERCENT ? '' : `heapGrowthPercent ${heapGrowthPercent}, `;
  const collect = ['collect', '--once', '--json', '--data', data];
  const stored = (out: string) =>
    (JSON.parse(out) as { sources: { stored: number }[] }).sources[0]?.stored ?? 0;
  const backfill = await vigil(collect, env, usage);
  const events = stored(backfill.stdout);
  const note = `${label}${events} events, whole process`;
  const incremental = await vigil(collect, env, usage);
  // The simulator's live traffic goes on: a run finds the few events published since the last.
  const on = `${label}${stored(incremental.stdout)} new events, on a store of ${events}`;
  const suite = 'collect-cost';
  const named = (row: BenchRow): BenchRow => ({ ...row, name: `${label}${row.name}` });
  return [
    {
      suite,
      name: 'backfill: peak RSS',
      value: backfill.peakRssMiB,
      unit: 'MiB',
      ...atMost(backfill.peakRssMiB, 150),
      note,
    },
    { suite, name: 'backfill: wall time', value: backfill.wallS, unit: 's', note },
    {
      suite,
      name: 'backfill: CPU per event',
      value: (backfill.cpuS * 1e6) / Math.max(1, events),
      unit: 'µs/event',
      note: `${label}${backfill.cpuS.toFixed(1)} CPU s, all threads`,
    },
    {
      suite,
      name: 'incremental: wall time',
      value: incremental.wallS,
      unit: 's',
      ...atMost(incremental.wallS, 1),
      note: on,
    },
    { suite, name: 'incremental: CPU', value: incremental.cpuS, unit: 's', note: on },
    {
      suite,
      name: 'incremental: peak RSS',
      value: incremental.peakRssMiB,
      unit: 'MiB',
      ...atMost(incremental.peakRssMiB, 100),
      note: on,
    },
  ].map(named);
}
