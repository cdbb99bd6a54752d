import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { sqlCustodyReader } from '../../src/custody/sql-custody-reader.js';
import { formatVerifierKey, parseVerifierKey } from '../../src/ledger/note-key.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import type { CustodyReader } from '../../src/verify/custody-reader.js';
import { verifyCustody } from '../../src/verify/custody-verifier.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const END = '2026-03-10T12:00:00.000Z';
/** Checkpoints only when a run ends (checkpointIfDue with endOfRun), as in the middle of a run. */
const RUN_END_ONLY = { everyEvents: 1e9, everyMs: 1e12, heartbeatMs: 1e12 };
const SIGNED = 100;
const TOTAL = 160;

/**
 * A store mid-run: pages stored and signed at a run's end, then more pages a run is still writing
 * (not signed yet). `between` runs after verify read the head, as a collector beside it would.
 */
async function verifyMidRun(
  between: (custody: Awaited<ReturnType<typeof openTestCustody>>) => Promise<void>,
) {
  const custody = await openTestCustody(tempDir('vigil-beside-'), new ManualClock(END), {
    policy: RUN_END_ONLY,
  });
  try {
    const lines = generateOrgHistory({ seed: 8, users: 20, days: 2, endMs: Date.parse(END) }).map((e) =>
      JSON.stringify(e),
    );
    let highWaterMs = 0;
    const store = async (from: number, to: number) => {
      const page = preparePage(OKTA_PAGE_FORMAT, 'okta', '[' + lines.slice(from, to).join(',') + ']');
      for (const e of page) highWaterMs = Math.max(highWaterMs, e.publishedMs);
      await custody.custody.ingest('okta', page, { nextUrl: `page:${to}`, highWaterMs });
    };
    expect(lines.length).toBeGreaterThan(TOTAL);
    await store(0, SIGNED);
    await custody.custody.checkpointIfDue('okta', { endOfRun: true });
    await store(SIGNED, TOTAL);
    const reader = sqlCustodyReader(custody.store, custody.custody);
    let heads = 0;
    const beside: CustodyReader = {
      ...reader,
      head: async (source) => {
        const head = await reader.head(source);
        if (heads++ === 0) await between(custody);
        return head;
      },
    };
    const verifier = parseVerifierKey(formatVerifierKey(custody.signerFor('okta')));
    return await verifyCustody(beside, {
      verifierFor: () => verifier,
      sources: [{ name: 'okta', format: 'okta' }],
    });
  } finally {
    await custody.close();
  }
}

describe('verify beside a collection run', () => {
  it('reports leaves past the largest checkpoint when nothing signs them', async () => {
    const report = await verifyMidRun(async () => {});
    expect(report.findings.map((f) => [f.code, f.treeSize])).toEqual([['TREE_UNSIGNED', SIGNED]]);
  });

  it('counts them as signed when the run signs them while verify checks the tree', async () => {
    const report = await verifyMidRun(async ({ custody }) => {
      await custody.checkpointIfDue('okta', { endOfRun: true });
    });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('does not count a checkpoint signed since whose tree the checked one is not a prefix of', async () => {
    const report = await verifyMidRun(async ({ db, signerFor }) => {
      const signer = signerFor('okta');
      const note = signCheckpoint(
        { origin: signer.name, size: TOTAL + 10, rootHash: Buffer.alloc(32, 1) },
        signer,
      );
      await db
        .insertInto('checkpoints')
        .values({
          source: 'okta',
          tree_size: TOTAL + 10,
          root_hash: Buffer.alloc(32, 1),
          note,
          created_at_ms: 0,
        })
        .execute();
    });
    expect(report.findings.map((f) => f.code)).toEqual(['TREE_UNSIGNED']);
  });
});
