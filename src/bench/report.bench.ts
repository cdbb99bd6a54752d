import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { ManualClock } from '../core/clock.js';
import { CustodyStore } from '../custody/custody-store.js';
import { preparePage } from '../custody/prepared-page.js';
import { fileSignerProvider } from '../keys/key-providers.js';
import { OrgHistory } from '../sim/org-history.js';
import type { OktaLogEvent } from '../sources/okta/log-event.js';
import { OKTA_PAGE_FORMAT } from '../sources/okta/okta-page-format.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { atMost, type BenchmarkSuite, type BenchRow } from './benchmark.js';
import { VIGIL_BIN } from './spawn-simulator.js';

const DAY = 86_400_000;
const END = Date.parse('2026-03-10T00:00:00.000Z');
const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'resource-report.js');
const PAGE = 1000;
/** One of the two user agents Okta published for the HAR-file incident (okta-api.md §4.4). */
const HAR_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.7113.93 Safari/537.36';

/**
 * Issue 17: `vigil incident report` over a large store, one-week window, as its own process (what
 * the person running it waits for and what the machine pays). Target: 10 million events, ≤ 3 s and
 * ≤ 300 MiB peak RSS. The store: one simulated day of an org's traffic (the simulator's generator)
 * repeated over every day with fresh ids, the lapsus-2022 drill inside the window, scope `all`,
 * once with a CIDR and a user-agent indicator (the costliest: no column holds the user agent, so
 * every event of the week is read) and once with a CIDR and an IP (indexes only). The cost follows
 * the events in the window, not the store's size, so the window's count is printed beside it.
 */
export const REPORT_BENCHMARK: BenchmarkSuite = {
  name: 'report',
  async run({ quick, workDir }) {
    const users = quick ? 1000 : 6000;
    const days = quick ? 14 : 30;
    const stored = await buildStore(workDir, users, days);
    const env = { VIGIL_BENCH_TOKEN: 'unused', USER: 'bench' };
    const usage = path.join(workDir, 'usage.json');
    const from = new Date(END - 7 * DAY).toISOString();
    const to = new Date(END).toISOString();
    const rows: BenchRow[] = [];
    // With a user-agent indicator every event of the week is read (no column holds the agent);
    // with addresses only, the report reads by index alone.
    const cases = [
      { label: 'a CIDR and a user agent', iocs: `198.51.100.0/24\n${HAR_USER_AGENT}\n` },
      { label: 'a CIDR and an IP', iocs: '198.51.100.0/24\n203.0.113.9\n' },
    ];
    for (const [i, c] of cases.entries()) {
      const ioc = path.join(workDir, `iocs-${i}.txt`);
      writeFileSync(ioc, c.iocs);
      const opened = await vigil(
        [
          '--data',
          workDir,
          'incident',
          'open',
          '--name',
          'bench',
          '--from',
          from,
          '--to',
          to,
          '--ioc',
          ioc,
          '--json',
        ],
        env,
        usage,
      );
      const { id } = JSON.parse(opened.stdout) as { id: string };
      const run = await vigil(['--data', workDir, 'incident', 'report', id, '--json'], env, usage);
      const report = JSON.parse(run.stdout) as { timeline: unknown[]; evidence: { eventsInWindow: number } };
      const note = `${stored.toLocaleString('en-US')} events stored (${users} users × ${days} days), ${report.evidence.eventsInWindow.toLocaleString('en-US')} in the week, ${report.timeline.length} cited with proofs`;
      const name = `incident report, one-week window, ${c.label}`;
      rows.push(
        {
          suite: 'report',
          name: `${name} (process wall time)`,
          value: run.wallS,
          unit: 's',
          ...atMost(run.wallS, 3),
          note,
        },
        {
          suite: 'report',
          name: `${name} (peak RSS)`,
          value: run.peakRssMiB,
          unit: 'MiB',
          ...atMost(run.peakRssMiB, 300),
          note,
        },
      );
    }
    return rows;
  },
};

/** Writes the store (and a vigil.yaml naming its source) into `dir`; returns how many events it holds. */
async function buildStore(dir: string, users: number, days: number): Promise<number> {
  const start = END - days * DAY;
  const history = new OrgHistory({ seed: 7, users, startMs: start });
  const template = history.generateUntil(start + DAY);
  const attack = history.scenarioEvents(
    [{ name: 'lapsus-2022', at: END - 3 * DAY }],
    END - 4 * DAY,
    END - 2 * DAY,
  );
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    stringify({
      sources: [{ name: 'okta', type: 'okta', url: 'http://127.0.0.1:9', tokenEnv: 'VIGIL_BENCH_TOKEN' }],
    }),
    { mode: 0o600 },
  );
  const clock = new ManualClock(END);
  const store = await openSqliteStore({ dataDir: dir, access: 'write' });
  let n = 0;
  try {
    const custody = new CustodyStore(store, clock, fileSignerProvider(dir));
    let page: string[] = [];
    let highWaterMs = 0;
    const flush = async () => {
      if (page.length === 0) return;
      const prepared = preparePage(OKTA_PAGE_FORMAT, 'okta', '[' + page.join(',') + ']');
      for (const e of prepared) highWaterMs = Math.max(highWaterMs, e.publishedMs);
      await custody.ingest('okta', prepared, { nextUrl: `bench:${n}`, highWaterMs });
      page = [];
    };
    const add = async (event: OktaLogEvent) => {
      page.push(JSON.stringify(event));
      n++;
      if (page.length >= PAGE) await flush();
    };
    for (let d = 0; d < days; d++)
      for (let i = 0; i < template.length; i++) {
        const e = template[i]!;
        // A fresh id per copy: the template's, with its last 12 hex digits replaced by day and index.
        const uuid = `${e.uuid.slice(0, 24)}${(d * 10_000_000 + i).toString(16).padStart(12, '0')}`;
        await add({ ...e, uuid, published: new Date(Date.parse(e.published) + d * DAY).toISOString() });
      }
    for (const e of attack) await add(e);
    await flush();
    await custody.checkpointIfDue('okta', { endOfRun: true });
  } finally {
    await store.close();
  }
  return n;
}

/** Runs `vigil <args>` as its own process and returns its output, wall time and peak RSS. */
async function vigil(args: readonly string[], env: NodeJS.ProcessEnv, usageFile: string) {
  const t = performance.now();
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', PRELOAD, VIGIL_BIN, ...args],
      { env: { ...process.env, ...env, VIGIL_BENCH_USAGE: usageFile }, maxBuffer: 512 << 20 },
      (error, out, err) =>
        error ? reject(new Error(`vigil ${args.join(' ')}: ${err || error.message}`)) : resolve(out),
    ),
  );
  const wallS = (performance.now() - t) / 1000;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRSS: number };
  return { stdout, wallS, peakRssMiB: usage.maxRSS / 1024 };
}
