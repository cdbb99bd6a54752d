import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatVerifierKey, type NoteVerifier } from '../ledger/note-key.js';
import type { HashReader } from '../ledger/hash-reader.js';
import { inclusionProofToJson, type InclusionProofJson } from '../ledger/proof-json.js';
import { inclusionProof } from '../ledger/proofs.js';
import { formatTlogProof } from '../ledger/tlog-proof.js';
import type { Kysely } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';
import { GO_VERIFIER_README } from '../verify/bundle-go-verifier.js';
import { BUNDLE_README, WITHHELD_FILE } from '../verify/evidence-bundle.js';
import { ledgerReads } from './ledger-reads.js';

export interface ExportRequest {
  readonly log: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** An empty or new folder. */
  readonly out: string;
  /**
   * Only these events, by the provider's id (a report's cited events; issue 17), in the window if
   * one is given too; an id the log does not hold is left out.
   */
  readonly eventIds?: readonly string[];
  /**
   * Leave the events out (a shared export: they hold personal data): the proofs and leaf envelopes
   * stay, and `EVENTS-WITHHELD.txt` says so; `vigil verify-bundle` then checks the leaves only.
   */
  readonly withholdEvents?: boolean;
}

/**
 * Writes an evidence bundle: the events verbatim, the latest signed checkpoint, the verifier key,
 * and per event an inclusion proof as proof JSON and as a c2sp.org/tlog-proof@v1 file, with a
 * README saying how to check it with no Vigil at all (`vigil verify-bundle`, Go's sumdb, sha256sum).
 */
export async function exportEvidence(
  db: Kysely<VigilDatabase>,
  hashes: HashReader,
  verifier: NoteVerifier,
  request: ExportRequest,
): Promise<{ events: number; treeSize: number }> {
  const reads = ledgerReads(db);
  const cp = await reads.latestCheckpoint(request.log);
  const rows =
    request.eventIds === undefined
      ? await reads.eventsWithLeaves(request.log, cp.treeSize, request.fromMs, request.toMs)
      : await reads.eventsWithLeavesById(request.log, cp.treeSize, request.eventIds);
  const { out } = request;
  const proofs: InclusionProofJson[] = [];
  // The bundle holds the events: owner-only (0700 folders, 0600 files), and every file is created
  // new ('wx': never written through a symlink or over a file someone planted).
  mkdirSync(path.join(out, 'proofs'), { recursive: true, mode: 0o700 });
  const write = (name: string, text: string) =>
    writeFileSync(path.join(out, name), text, { mode: 0o600, flag: 'wx' });
  for (const r of rows) {
    const proof = await inclusionProof(r.index, cp.treeSize, hashes);
    write(
      path.join('proofs', `${r.index}.tlog-proof`),
      formatTlogProof({ extra: r.leaf, index: r.index, proof, checkpoint: cp.note }),
    );
    proofs.push(
      inclusionProofToJson({
        treeSize: cp.treeSize,
        rootHash: cp.rootHash,
        leafIndex: r.index,
        leafData: r.leaf,
        proof,
      }),
    );
  }
  write('checkpoint.txt', cp.note);
  write('verifier-key.txt', formatVerifierKey(verifier) + '\n');
  if (request.withholdEvents)
    write(
      WITHHELD_FILE,
      'The events are withheld from this bundle: they hold personal data. Each proof shows that a leaf\n' +
        'naming the event id and the SHA-256 of its exact bytes is in the signed tree; whoever holds the\n' +
        'events checks them against those digests.\n',
    );
  else write('events.jsonl', rows.map((r) => r.raw + '\n').join(''));
  write('proofs.jsonl', proofs.map((p) => JSON.stringify(p) + '\n').join(''));
  write('README.md', BUNDLE_README + GO_VERIFIER_README);
  return { events: rows.length, treeSize: cp.treeSize };
}
