import { createHash } from 'node:crypto';
import { ManualClock } from '../core/clock.js';
import { createRandom } from '../core/seeded-random.js';
import { OktaCollector } from '../custody/okta-collector.js';
import { openCustody } from '../custody/open-custody.js';
import { sqlCustodyReader } from '../custody/sql-custody-reader.js';
import { formatVerifierKey, parseVerifierKey } from '../ledger/note-key.js';
import { generateOrgHistory } from '../sim/org-history.js';
import { startSimulator } from '../sim/simulator.js';
import { splitPage } from '../sources/okta/page-body.js';
import { verifyCustody } from '../verify/custody-verifier.js';
import { atLeast, type BenchmarkSuite, type BenchRow } from './benchmark.js';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { STORE_FILE } from '../store/sqlite/open-sqlite.js';

const END = '2026-03-10T12:00:00.000Z';

/** Issue 3 and 4: ingest into SQLite (with the ledger), the machine's ceiling, and verify throughput. */
export const INGEST_BENCHMARK: BenchmarkSuite = {
  name: 'ingest',
  async run({ quick, workDir }) {
    const rows: BenchRow[] = [];
    const events = generateOrgHistory({
      seed: 1,
      users: quick ? 300 : 1000,
      days: quick ? 10 : 30,
      endMs: Date.parse(END),
    });
    const lines = events.map((e) => JSON.stringify(e));
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

    // JSONL → SQLite, with ledger leaves, nodes, cursor and checkpoints, 1000 events a transaction.
    const clock = new ManualClock(END);
    const custody = await openCustody(path.join(workDir, 'jsonl'), clock);
    t = performance.now();
    for (let i = 0; i < n; i += 1000) {
      const page = splitPage('[' + lines.slice(i, i + 1000).join(',') + ']');
      await custody.store.ingest('okta', page, { nextUrl: `file:${i}`, highWaterMs: null });
    }
    const fileRate = n / ((performance.now() - t) / 1000);
    rows.push({
      suite: 'ingest',
      name: 'JSONL → SQLite + ledger',
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

    // vigil verify over the same store: in one thread, and as the CLI runs it (worker threads).
    const verifier = parseVerifierKey(formatVerifierKey(custody.signerFor('okta')));
    const workers = Math.min(4, availableParallelism());
    for (const parallel of [
      undefined,
      { dbFile: path.join(workDir, 'jsonl', STORE_FILE), workers, minLeaves: 0 },
    ]) {
      t = performance.now();
      const report = await verifyCustody(
        sqlCustodyReader(custody.db, custody.store, parallel ? { parallel } : {}),
        { verifierFor: () => verifier },
      );
      const verifyRate = n / ((performance.now() - t) / 1000);
      rows.push({
        suite: 'ingest',
        name: `vigil verify, ${parallel ? `${workers} worker threads` : 'one thread'} (ok=${report.ok})`,
        value: verifyRate,
        unit: 'events/s',
        ...atLeast(verifyRate, 200_000),
      });
    }
    await custody.close();

    // Simulator over loopback → collector → SQLite.
    const sim = await startSimulator({
      seed: 1,
      users: quick ? 300 : 1000,
      days: quick ? 10 : 30,
      clock,
      liveTraffic: false,
      rateLimitPerMinute: 100_000,
    });
    const simCustody = await openCustody(path.join(workDir, 'sim'), clock);
    const collector = new OktaCollector({
      source: { name: 'okta', type: 'okta', url: sim.baseUrl, tokenEnv: 'X' },
      token: sim.token,
      store: simCustody.store,
      clock,
      random: createRandom(1),
      rateShare: 1,
      requestTimeoutMs: 60_000,
      pageLimit: 1000,
      sinceMs: Date.parse(END) - 31 * 86_400_000,
    });
    t = performance.now();
    const progress = await collector.collectUntilCaughtUp();
    const simRate = progress.stored / ((performance.now() - t) / 1000);
    rows.push({
      suite: 'ingest',
      name: 'simulator (loopback HTTP) → SQLite + ledger',
      value: simRate,
      unit: 'events/s',
      ...atLeast(simRate, 50_000),
    });
    await simCustody.close();
    await sim.close();
    rows.push({
      suite: 'ingest',
      name: 'peak RSS',
      value: process.resourceUsage().maxRSS / 1024,
      unit: 'MiB',
    });
    return rows;
  },
};
