import { createHash } from 'node:crypto';
import { ManualClock, systemClock } from '../core/clock.js';
import { createRandom } from '../core/seeded-random.js';
import { CustodyStore } from '../custody/custody-store.js';
import { LogCollector } from '../custody/log-collector.js';
import { fileSignerProvider } from '../keys/key-providers.js';
import { generateOrgHistory } from '../sim/org-history.js';
import { IngestPipeline } from '../custody/ingest-pipeline.js';
import { createPagePreparer, defaultPreparationThreads } from '../custody/page-preparer.js';
import { atLeast, type BenchmarkSuite, type BenchRow } from './benchmark.js';
import path from 'node:path';
import { OktaLogSource } from '../sources/okta/okta-log-source.js';
import { OKTA_PAGE_FORMAT } from '../sources/okta/okta-page-format.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { sqliteWriteFloor } from './sqlite-floor.js';
import { spawnSimulator } from './spawn-simulator.js';

const END = '2026-03-10T12:00:00.000Z';

/** Issue 3 and 4: ingest into SQLite (with the ledger), the machine's ceiling, and verify throughput. */
export const INGEST_BENCHMARK: BenchmarkSuite = {
  name: 'ingest',
  async run({ quick, workDir }) {
    const rows: BenchRow[] = [];
    // Only the JSON lines stay in memory: a heap full of generated event objects would slow the
    // store's own garbage collection and measure the benchmark instead of Vigil.
    const lines = generateOrgHistory({
      seed: 1,
      users: quick ? 300 : 1000,
      days: quick ? 10 : 30,
      endMs: Date.parse(END),
    }).map((e) => JSON.stringify(e));
    (globalThis as { gc?: () => void }).gc?.();
    const n = lines.length;

    // The machine's ceiling as issue 3 defines it: JSON.parse + SHA-256 of each event's line.
    let t = performance.now();
    for (const line of lines) {
      JSON.parse(line);
      createHash('sha256').update(line).digest();
    }
    const ceiling = n / ((performance.now() - t) / 1000);
    rows.push({
      suite: 'ingest',
      name: `ceiling: JSON.parse + SHA-256 (${n} events)`,
      value: ceiling,
      unit: 'events/s',
    });

    // JSONL → SQLite, with ledger leaves, nodes, cursor and checkpoints, as the collector writes:
    // pages of 1000 (in memory, like the ceiling's lines) prepared on worker threads, written in
    // order, several pages a transaction when the store lags.
    const pages: string[] = [];
    for (let i = 0; i < n; i += 1000) pages.push('[' + lines.slice(i, i + 1000).join(',') + ']');
    lines.length = 0;
    (globalThis as { gc?: () => void }).gc?.();
    const clock = new ManualClock(END);
    const jsonlDir = path.join(workDir, 'jsonl');
    const jsonlStore = await openSqliteStore({
      dataDir: jsonlDir,
      access: 'write',
      bulk: true,
      backgroundCheckpoints: true,
    });
    const signerFor = fileSignerProvider(jsonlDir);
    const custody = new CustodyStore(jsonlStore, clock, signerFor);
    const preparer = createPagePreparer();
    const threads = defaultPreparationThreads();
    const threadsText = `${threads} preparation thread${threads === 1 ? '' : 's'}`;

    // The CPU ingest needs before any write: each page split, parsed, checked, normalized and
    // digested (verbatim and canonical) on the preparation threads, with nothing stored. Ingest
    // does this and the store's writes on the same cores, so it cannot exceed this either.
    t = performance.now();
    const prepared: Promise<unknown>[] = [];
    for (const body of pages) {
      prepared.push(preparer.prepare(OKTA_PAGE_FORMAT, 'okta', body));
      if (prepared.length > 2 * threads) await prepared.shift();
    }
    await Promise.all(prepared);
    const prepareRate = n / ((performance.now() - t) / 1000);
    rows.push({
      suite: 'ingest',
      name: `page preparation alone (${threadsText}, nothing stored)`,
      value: prepareRate,
      unit: 'events/s',
      note: 'parse, check, normalize, digest; ingest cannot exceed it',
    });

    t = performance.now();
    const pipeline = new IngestPipeline(custody, 'okta');
    for (const [k, body] of pages.entries())
      await pipeline.push(preparer.prepare(OKTA_PAGE_FORMAT, 'okta', body), {
        nextUrl: `file:${k}`,
        highWaterMs: null,
      });
    await pipeline.finish();
    pages.length = 0;
    const fileRate = n / ((performance.now() - t) / 1000);
    rows.push({
      suite: 'ingest',
      name: `JSONL → SQLite + ledger (${threadsText})`,
      value: fileRate,
      unit: 'events/s',
      ...atLeast(fileRate, 50_000),
    });
    rows.push({
      suite: 'ingest',
      name: 'JSONL ingest / ceiling',
      value: fileRate / ceiling,
      unit: 'ratio',
      ...atLeast(fileRate / ceiling, 0.25),
    });

    // vigil verify's throughput is the verify suite's (verify.bench.ts), over a store of this size.
    await jsonlStore.close();

    // What SQLite itself sustains for those writes here: the bound on any ingest figure above.
    const floor = await sqliteWriteFloor(jsonlDir, path.join(workDir, 'floor'));
    rows.push({
      suite: 'ingest',
      name: 'SQLite alone: the same rows, leaves and nodes (no parsing or hashing)',
      value: floor,
      unit: 'events/s',
      note: 'the store on this machine; ingest cannot exceed it',
    });

    // `vigil sim` in its own process (Okta is another machine), over loopback → collector → SQLite.
    const sim = await spawnSimulator(quick ? 300 : 1000, quick ? 10 : 30);
    try {
      const simDir = path.join(workDir, 'sim');
      const simStore = await openSqliteStore({
        dataDir: simDir,
        access: 'write',
        bulk: true,
        backgroundCheckpoints: true,
      });
      const collector = new LogCollector({
        source: new OktaLogSource({
          name: 'okta',
          url: sim.url,
          token: sim.token,
          clock: systemClock,
          rateShare: 1,
          requestTimeoutMs: 60_000,
          pageLimit: 1000,
        }),
        store: new CustodyStore(simStore, systemClock, fileSignerProvider(simDir)),
        clock: systemClock,
        random: createRandom(1),
        sinceMs: systemClock.now() - 31 * 86_400_000,
        preparer,
      });
      t = performance.now();
      const progress = await collector.collectUntilCaughtUp();
      const simRate = progress.stored / ((performance.now() - t) / 1000);
      rows.push({
        suite: 'ingest',
        name: 'vigil sim (another process, loopback HTTP) → SQLite + ledger',
        value: simRate,
        unit: 'events/s',
        ...atLeast(simRate, 50_000),
        note: `${progress.stored} events, ${progress.pages} pages`,
      });
      await simStore.close();
    } finally {
      sim.stop();
      await preparer.close();
    }
    rows.push({
      suite: 'ingest',
      name: 'peak RSS',
      value: process.resourceUsage().maxRSS / 1024,
      unit: 'MiB',
    });
    return rows;
  },
};
