import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { sqlCustodyReader } from '../../src/custody/sql-custody-reader.js';
import { formatVerifierKey, parseVerifierKey } from '../../src/ledger/note-key.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { parallelLeafRanges } from '../../src/store/sqlite/parallel-leaf-ranges.js';
import type { Store } from '../../src/store/store.js';
import { verifyCustody } from '../../src/verify/custody-verifier.js';
import { compiledWorker } from '../support/compiled-worker.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

// The compiled worker (built by the globalSetup); the file fails here, naming it, when it is missing.
const WORKER = compiledWorker('store', 'sqlite', 'leaf-range-worker.js');
const END = '2026-03-10T12:00:00.000Z';
let base: string;

beforeAll(async () => {
  base = tempDir('vigil-parallel-');
  const custody = await openTestCustody(base, new ManualClock(END));
  const events = generateOrgHistory({ seed: 3, users: 25, days: 2, endMs: Date.parse(END) });
  // One event whose text holds U+FFFD itself: its stored bytes, not their decoding, must be checked.
  events[10]!.actor.displayName = `${events[10]!.actor.displayName ?? ''} \uFFFD`;
  const lines = events.map((e) => JSON.stringify(e));
  for (let i = 0; i < lines.length; i += 37) {
    const page = preparePage(OKTA_PAGE_FORMAT, 'okta', '[' + lines.slice(i, i + 37).join(',') + ']');
    await custody.custody.ingest('okta', page, { nextUrl: `file:${i}`, highWaterMs: null });
    // A checkpoint after every page: sizes that fall inside leaf ranges, not on their edges.
    await custody.custody.checkpointIfDue('okta', { endOfRun: true });
  }
  await custody.custody.checkpointIfDue('okta', { endOfRun: true });
  await custody.close();
});

/**
 * Verifies a copy of the store with `sql` applied: through Kysely in this thread (a store without
 * the `leafRanges` capability), through SQLite's own statements in this thread (the store's
 * capability with `verifyWorkers: 0`), or with two worker threads. With `inlineWhileStarting` false
 * every range goes to the workers (nothing on this thread), so a result at all shows the worker path
 * ran. The store enables its workers only where the compiled worker sits beside its module (not
 * when running from the TypeScript sources), so the worker cases give the store a `leafRanges`
 * capability over `parallelLeafRanges` with the compiled worker (or a failing one) named.
 */
async function verify(
  sql: string,
  workers: 'kysely' | 0 | 2,
  workerScript = WORKER,
  inlineWhileStarting = true,
) {
  const dir = tempDir('vigil-parallel-case-');
  cpSync(base, dir, { recursive: true });
  if (sql) {
    const db = new Database(path.join(dir, STORE_FILE));
    db.exec(sql);
    db.close();
  }
  const custody = await openTestCustody(dir, new ManualClock(END), {
    verifyWorkers: 0,
    parallelFromLeaves: 0,
    rangeLevel: 6,
  });
  try {
    const verifier = parseVerifierKey(formatVerifierKey(custody.signerFor('okta')));
    const { capabilities } = custody.store;
    const store: Store =
      workers === 'kysely'
        ? { ...custody.store, capabilities: { ...capabilities, leafRanges: undefined } }
        : workers === 0
          ? custody.store
          : {
              ...custody.store,
              capabilities: {
                ...capabilities,
                leafRanges: {
                  ranges: (source, check, end) =>
                    parallelLeafRanges(
                      {
                        dbFile: path.join(dir, STORE_FILE),
                        workers,
                        rangeLevel: 6,
                        minLeaves: 0,
                        workerScript,
                        inlineWhileStarting,
                      },
                      source,
                      check,
                      end,
                    ),
                },
              },
            };
    if (workers === 0)
      expect(store.capabilities.leafRanges, 'the SQLite store checks ranges itself').toBeDefined();
    const reader = sqlCustodyReader(store, custody.custody, { rangeLevel: 6 });
    return await verifyCustody(reader, {
      verifierFor: () => verifier,
      sources: [{ name: 'okta', format: 'okta' }],
    });
  } finally {
    await custody.close();
  }
}

describe('verify with worker threads', () => {
  const cases: [string, string][] = [
    ['untouched', ''],
    [
      'an event edited',
      `update events set raw = replace(raw, '"version":"0"', '"version":"7"') where leaf_index = 130`,
    ],
    ['a leaf deleted mid-range', 'delete from ledger_leaves where leaf_index = 200'],
    ['a leaf deleted at a range boundary', 'delete from ledger_leaves where leaf_index = 128'],
    ['an event deleted', 'delete from events where leaf_index = 5'],
    [
      // F0 9F 98 (a cut-off four-byte sequence) decodes to U+FFFD just like the EF BF BD it replaces.
      'an event byte changed where its decoded text stays the same',
      `update events set raw = cast(replace(cast(raw as blob), x'EFBFBD', x'F09F98') as text) where leaf_index = 10`,
    ],
    [
      'an event claiming a leaf beyond the tree',
      "insert into events (source, provider_id, leaf_index, published, published_ms, event_type, raw, stored_at_ms) select source, 'forged', 99999, published, published_ms, event_type, raw, stored_at_ms from events where leaf_index = 1",
    ],
    // The columns searches read, re-derived from the verbatim event on every path.
    ['an actor column edited', "update events set actor_alternate_id = 'someone@else' where leaf_index = 77"],
    ['an event type edited', "update events set event_type = 'user.session.end' where leaf_index = 140"],
    ['a number column edited', 'update events set published_ms = published_ms + 1 where leaf_index = 3'],
    ['a node altered', 'update ledger_nodes set hash = zeroblob(32) where level = 2 and idx = 40'],
    ['a node deleted', 'delete from ledger_nodes where level = 1 and idx = 20'],
    ['a node cut short', "update ledger_nodes set hash = x'00' where level = 0 and idx = 77"],
    [
      'a node above the ranges altered',
      'update ledger_nodes set hash = zeroblob(32) where level = 7 and idx = 0',
    ],
    [
      'a leaf swapped with its neighbour inside a checkpointed prefix',
      `update ledger_leaves set leaf_index = -1 where leaf_index = 150;
       update ledger_leaves set leaf_index = 150 where leaf_index = 151;
       update ledger_leaves set leaf_index = 151 where leaf_index = -1;`,
    ],
  ];
  for (const [name, sql] of cases) {
    it(`finds exactly what the single-threaded check finds: ${name}`, async () => {
      const alone = await verify(sql, 'kysely');
      expect(await verify(sql, 0)).toEqual(alone);
      expect(await verify(sql, 2)).toEqual(alone);
      // Every range on the workers: the findings must come from the worker threads alone.
      expect(await verify(sql, 2, WORKER, false)).toEqual(alone);
      expect(alone.ok).toBe(name === 'untouched');
      expect(alone.sources[0]!.leaves).toBeGreaterThanOrEqual(128);
      expect(alone.sources[0]!.checkpoints).toBeGreaterThan(3);
    });
  }
  it('names the event, the column and both values of a column edited, on the worker threads', async () => {
    const report = await verify(
      "update events set actor_alternate_id = 'someone@else' where leaf_index = 77",
      2,
      WORKER,
      false,
    );
    const [finding, ...rest] = report.findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'EVENT_COLUMN_MISMATCH',
      leafIndex: 77,
      column: 'actor_alternate_id',
    });
    expect(finding!.message).toMatch(
      /column actor_alternate_id is stored as "someone@else", the verbatim event gives "[^"]+@/,
    );
  });
  it('a worker that fails makes verify fail, never hang', async () => {
    // Ready, then failing on the first range it is given; every range goes to the workers.
    const failing = path.join(tempDir('vigil-failing-worker-'), 'worker.mjs');
    writeFileSync(
      failing,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('range worker broke'); });\nparentPort.postMessage('ready');\n",
    );
    await expect(verify('', 2, failing, false)).rejects.toThrow(/range worker broke/);
  });
});
