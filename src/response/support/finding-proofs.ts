import type { Kysely } from 'kysely';
import type { CustodyStore } from '../../custody/custody-store.js';
import { ledgerReads } from '../../custody/ledger-reads.js';
import { inclusionProof } from '../../ledger/proofs.js';
import type { VigilDatabase } from '../../store/database-schema.js';

/** A finding's event with its place in the source's ledger and its RFC 9162 inclusion proof. */
export interface EventProof {
  readonly uuid: string;
  readonly leafIndex: number;
  /** Standard base64 hashes, against `checkpoint`. */
  readonly proof: readonly string[];
}

export interface FindingProofs {
  /** The newest signed checkpoint of the source's events log: the proofs are against its tree. */
  readonly checkpoint: { readonly treeSize: number; readonly note: string } | null;
  readonly events: readonly EventProof[];
  /** Events not yet under a signed checkpoint (stored after it): named, not proven. */
  readonly unproven: readonly string[];
}

/**
 * The inclusion proofs of the events findings name (issue 17: "with the events' proofs"), so a
 * finding can be checked against a signed checkpoint kept elsewhere (`vigil verify --checkpoint`,
 * Go's `sumdb/tlog`), as the report's cited events can.
 */
export async function findingProofs(
  db: Kysely<VigilDatabase>,
  custody: CustodyStore,
  source: string,
  uuids: readonly string[],
): Promise<FindingProofs> {
  const wanted = [...new Set(uuids)];
  if (wanted.length === 0) return { checkpoint: null, events: [], unproven: [] };
  const checkpoint = await ledgerReads(db)
    .latestCheckpoint(source)
    .catch(() => undefined);
  if (!checkpoint) return { checkpoint: null, events: [], unproven: wanted };
  const rows = await ledgerReads(db).eventsWithLeavesById(source, checkpoint.treeSize, wanted);
  const leafOf = new Map<string, number>();
  for (const row of rows) {
    const id = (JSON.parse(row.leaf.toString('utf8')) as { eventId?: unknown }).eventId;
    if (typeof id === 'string') leafOf.set(id, row.index);
  }
  const hashes = custody.hashReader(source);
  const events: EventProof[] = [];
  const unproven: string[] = [];
  for (const uuid of wanted) {
    const leafIndex = leafOf.get(uuid);
    if (leafIndex === undefined) {
      unproven.push(uuid);
      continue;
    }
    const proof = await inclusionProof(leafIndex, checkpoint.treeSize, hashes);
    events.push({ uuid, leafIndex, proof: proof.map((h) => h.toString('base64')) });
  }
  return { checkpoint: { treeSize: checkpoint.treeSize, note: checkpoint.note }, events, unproven };
}
