import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../core/clock.js';
import { CustodyStore } from '../custody/custody-store.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { createRandom } from '../core/seeded-random.js';
import { encodeLeafEnvelope, leafEnvelopeFor } from '../ledger/leaf-envelope.js';
import { MemoryHashStore } from '../ledger/memory-hash-store.js';
import { HASH_SIZE, hashLeaf } from '../ledger/merkle-hash.js';
import { consistencyProof, inclusionProof, treeRoot } from '../ledger/proofs.js';
import { verifyInclusion } from '../ledger/proof-verification.js';
import { appendLeaves, EMPTY_FRONTIER, type StoredNode } from '../ledger/tree-frontier.js';
import { atLeast, atMost } from './benchmark.js';
import type { BenchmarkSuite, BenchRow } from './benchmark.js';

const SUITE = 'ledger';
const BATCH = 10_000;

function sampleEvent(i: number): {
  uuid: string;
  published: string;
  eventType: string;
  actor: { id: string };
} {
  return {
    uuid: `evt-${i.toString(16).padStart(12, '0')}`,
    published: '2024-05-01T12:00:00.000Z',
    eventType: 'user.session.start',
    actor: { id: `00u${i % 5000}` },
  };
}

/** Leaf hashes for `count` synthetic leaves, made in batches so the generator never holds them all. */
function* leafBatches(count: number): Generator<Buffer[]> {
  for (let start = 0; start < count; start += BATCH) {
    const batch: Buffer[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(i, 4);
      batch.push(hashLeaf(b));
    }
    yield batch;
  }
}

function buildStore(size: number): MemoryHashStore {
  const store = new MemoryHashStore();
  for (const batch of leafBatches(size)) store.append(batch);
  return store;
}

async function proofTimings(size: number, samples: number): Promise<BenchRow[]> {
  const built = performance.now();
  const store = buildStore(size);
  const buildSeconds = (performance.now() - built) / 1000;
  const random = createRandom(size);
  const root = await treeRoot(size, store);
  const label = size >= 1_000_000 ? `${size / 1_000_000}M` : String(size);
  let start = performance.now();
  for (let i = 0; i < samples; i++) {
    const index = random.int(0, size - 1);
    const proof = await inclusionProof(index, size, store);
    if (i === 0) verifyInclusion(store.readNode({ level: 0, index }), index, size, proof, root);
  }
  const inclusionMs = (performance.now() - start) / samples;
  start = performance.now();
  for (let i = 0; i < samples; i++) await consistencyProof(random.int(1, size - 1), size, store);
  const consistencyMs = (performance.now() - start) / samples;
  return [
    {
      suite: SUITE,
      name: `build in-memory tree, ${label} leaves`,
      value: size / buildSeconds,
      unit: 'leaves/s',
    },
    {
      suite: SUITE,
      name: `inclusion proof at ${label} leaves (in-memory store)`,
      value: inclusionMs,
      unit: 'ms',
      ...atMost(inclusionMs, 1),
    },
    {
      suite: SUITE,
      name: `consistency proof at ${label} leaves (in-memory store)`,
      value: consistencyMs,
      unit: 'ms',
      ...atMost(consistencyMs, 1),
    },
  ];
}

/**
 * Proofs as `vigil ledger prove` makes them: from the tree nodes stored in SQLite, a few indexed
 * reads per proof. The store holds only the nodes (what proofs read), written in bulk.
 */
async function sqliteProofTimings(size: number, samples: number, workDir: string): Promise<BenchRow[]> {
  const sqlite = await openSqliteStore({ dataDir: path.join(workDir, `proofs-${size}`), access: 'write' });
  const { db } = sqlite;
  try {
    const bulk = sqlite.capabilities.bulk;
    if (!bulk) throw new Error('the SQLite store has no bulk writer');
    let frontier = EMPTY_FRONTIER;
    let pending: StoredNode[] = [];
    const flush = async () => {
      const rows = pending;
      pending = [];
      await db.transaction().execute(() => Promise.resolve(bulk.insertNodes('okta', rows)));
    };
    for (const batch of leafBatches(size)) {
      const step = appendLeaves(frontier, batch);
      frontier = step.frontier;
      for (const n of step.nodes) pending.push(n);
      if (pending.length >= 200_000) await flush();
    }
    await flush();
    const store = new CustodyStore(sqlite, new ManualClock(0), () => {
      throw new Error('no signing in this benchmark');
    });
    const reader = store.hashReader('okta');
    const random = createRandom(`sqlite:${size}`);
    const root = await treeRoot(size, reader);
    const label = `${size / 1_000_000}M`;
    let start = performance.now();
    for (let i = 0; i < samples; i++) {
      const index = random.int(0, size - 1);
      const proof = await inclusionProof(index, size, reader);
      if (i === 0) {
        const [leaf] = await reader.readNodes([{ level: 0, index }]);
        verifyInclusion(leaf!, index, size, proof, root);
      }
    }
    const inclusionMs = (performance.now() - start) / samples;
    start = performance.now();
    for (let i = 0; i < samples; i++) await consistencyProof(random.int(1, size - 1), size, reader);
    const consistencyMs = (performance.now() - start) / samples;
    return [
      {
        suite: SUITE,
        name: `inclusion proof at ${label} leaves (SQLite store)`,
        value: inclusionMs,
        unit: 'ms',
        ...atMost(inclusionMs, 1),
      },
      {
        suite: SUITE,
        name: `consistency proof at ${label} leaves (SQLite store)`,
        value: consistencyMs,
        unit: 'ms',
        ...atMost(consistencyMs, 1),
      },
    ];
  } finally {
    await sqlite.close();
  }
}

/** Issue 4 benchmark: append rate, proof generation at 1 M (and 10 M) leaves, ledger bytes per event. */
export const LEDGER_BENCHMARK: BenchmarkSuite = {
  name: SUITE,
  async run({ quick, workDir }) {
    const rows: BenchRow[] = [];
    const appendCount = quick ? 200_000 : 1_000_000;

    // appendLeaves alone over precomputed leaf hashes.
    const hashes = [...leafBatches(appendCount)];
    let frontier = EMPTY_FRONTIER;
    let nodeCount = 0;
    let start = performance.now();
    for (const batch of hashes) {
      const step = appendLeaves(frontier, batch);
      frontier = step.frontier;
      nodeCount += step.nodes.length;
    }
    const appendRate = appendCount / ((performance.now() - start) / 1000);
    rows.push({
      suite: SUITE,
      name: 'appendLeaves (leaf hashes given, in memory)',
      value: appendRate,
      unit: 'leaves/s',
      ...atLeast(appendRate, 100_000),
    });

    // The whole leaf path per event: canonical event digest, envelope, leaf hash, append, keep nodes.
    const events = Math.min(appendCount, 200_000);
    const store = new MemoryHashStore();
    let envelopeBytes = 0;
    start = performance.now();
    for (let from = 0; from < events; from += BATCH) {
      const batch: Buffer[] = [];
      for (let i = from; i < Math.min(events, from + BATCH); i++) {
        const event = sampleEvent(i);
        const raw = JSON.stringify(event);
        const leaf = encodeLeafEnvelope(leafEnvelopeFor('okta', event.uuid, event.published, event, raw));
        envelopeBytes += leaf.length;
        batch.push(hashLeaf(leaf));
      }
      store.append(batch);
    }
    const fullRate = events / ((performance.now() - start) / 1000);
    rows.push({
      suite: SUITE,
      name: 'event → JCS digest → envelope → leaf → append',
      value: fullRate,
      unit: 'events/s',
      note: 'whole per-event path; the issue target applies to appendLeaves',
    });

    // Bytes the ledger adds per event: the envelope plus ~2 stored 32-byte nodes per leaf (2n - popcount(n)).
    const perEvent = envelopeBytes / events + (nodeCount / appendCount) * HASH_SIZE;
    rows.push({
      suite: SUITE,
      name: 'ledger bytes per event (envelope + node hashes, before store overhead)',
      value: perEvent,
      unit: 'bytes/event',
    });

    rows.push(...(await proofTimings(1_000_000, quick ? 200 : 2000)));
    rows.push(...(await sqliteProofTimings(1_000_000, quick ? 200 : 2000, workDir)));
    if (!quick) {
      rows.push(...(await proofTimings(10_000_000, 2000)));
      rows.push(...(await sqliteProofTimings(10_000_000, 2000, workDir)));
    }
    return rows;
  },
};
