import { availableParallelism } from 'node:os';
import { ManualClock } from '../core/clock.js';
import { CustodyStore } from '../custody/custody-store.js';
import { preparePage } from '../custody/prepared-page.js';
import { sqlCustodyReader } from '../custody/sql-custody-reader.js';
import { fileSignerProvider } from '../keys/key-providers.js';
import { formatVerifierKey, parseVerifierKey } from '../ledger/note-key.js';
import { generateOrgHistory } from '../sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../sources/okta/okta-page-format.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { verifyCustody } from '../verify/custody-verifier.js';
import { atLeast, type BenchmarkSuite, type BenchRow } from './benchmark.js';

const END = '2026-03-10T12:00:00.000Z';

/**
 * `vigil verify`'s throughput (issues 4 and 14) over a store of the ingest benchmark's size, in one
 * thread and on worker threads as the CLI runs it, each with the query-column check (every stored
 * column re-derived from the verbatim event: one JSON.parse and the source's normalizer per event)
 * and without it (the ledger alone: bytes against leaves, the tree, checkpoints).
 */
export const VERIFY_BENCHMARK: BenchmarkSuite = {
  name: 'verify',
  async run({ quick, workDir }) {
    const clock = new ManualClock(END);
    const signerFor = fileSignerProvider(workDir);
    const n = await buildStore(workDir, quick, clock, signerFor);
    const verifier = parseVerifierKey(formatVerifierKey(signerFor('okta')));
    const workers = Math.min(4, availableParallelism());
    const rows: BenchRow[] = [];
    for (const verifyWorkers of [0, workers]) {
      for (const columns of [false, true]) {
        // Each run reads through a store opened for it; opening it is not timed.
        const store = await openSqliteStore({
          dataDir: workDir,
          access: 'read',
          verifyWorkers,
          parallelFromLeaves: 0,
        });
        try {
          const readOnly = new CustodyStore(store, clock, () => {
            throw new Error('verify signs nothing');
          });
          const t = performance.now();
          const report = await verifyCustody(sqlCustodyReader(store, readOnly), {
            verifierFor: () => verifier,
            ...(columns ? { sources: [{ name: 'okta', format: OKTA_PAGE_FORMAT.name }] } : {}),
          });
          const rate = n / ((performance.now() - t) / 1000);
          rows.push({
            suite: 'verify',
            name: `vigil verify, ${verifyWorkers ? `${workers} worker threads` : 'one thread'}, columns ${columns ? 'checked' : 'not checked'} (ok=${report.ok})`,
            value: rate,
            unit: 'events/s',
            ...atLeast(rate, 200_000),
            note: `${n} events`,
          });
        } finally {
          await store.close();
        }
      }
    }
    return rows;
  },
};

/** The ingest benchmark's history, stored a page of 1000 at a time as the collector stores it. */
async function buildStore(
  dir: string,
  quick: boolean,
  clock: ManualClock,
  signerFor: ReturnType<typeof fileSignerProvider>,
): Promise<number> {
  const lines = generateOrgHistory({
    seed: 1,
    users: quick ? 300 : 1000,
    days: quick ? 10 : 30,
    endMs: Date.parse(END),
  }).map((e) => JSON.stringify(e));
  const store = await openSqliteStore({ dataDir: dir, access: 'write' });
  try {
    const custody = new CustodyStore(store, clock, signerFor);
    let highWaterMs = 0;
    for (let i = 0; i < lines.length; i += 1000) {
      const page = preparePage(OKTA_PAGE_FORMAT, 'okta', '[' + lines.slice(i, i + 1000).join(',') + ']');
      for (const e of page) highWaterMs = Math.max(highWaterMs, e.publishedMs);
      await custody.ingest('okta', page, { nextUrl: `bench:${i}`, highWaterMs });
    }
    await custody.checkpointIfDue('okta', { endOfRun: true });
  } finally {
    await store.close();
  }
  return lines.length;
}
