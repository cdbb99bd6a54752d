import { isVigilError } from '../core/vigil-error.js';
import { openNote } from '../ledger/signed-note.js';
import { addCheckpoint, type AddCheckpointOutcome, type HttpFetch } from './witness-client.js';
import type { ConfiguredWitness } from './witness-config.js';

/** A log's latest signed checkpoint and the consistency proofs the store can make for it. */
export interface WitnessableCheckpoint {
  readonly log: string;
  readonly treeSize: number;
  /** The signed note, verbatim. */
  readonly note: string;
  /** RFC 6962 consistency proof from `oldSize` (≤ treeSize) to `treeSize`, from the store's own tree. */
  consistencyProof(oldSize: number): Promise<Buffer[]>;
}

/** What came of asking one witness to cosign one checkpoint. */
export type WitnessingOutcome = {
  readonly witness: string;
  readonly log: string;
  readonly treeSize: number;
} &
  /** Cosigned; the lines verified with the witness's configured key. */
  (
    | { readonly kind: 'cosigned'; readonly lines: string[] }
    /** The witness has cosigned a larger tree of this log than the store holds: truncation or rollback. */
    | { readonly kind: 'witness-ahead'; readonly witnessSize: number }
    /** The witness holds another tree at this size, or the store's proof does not join it: a fork. */
    | { readonly kind: 'inconsistent'; readonly status: number; readonly reason: string }
    /** Refused for another reason (unknown origin 404, untrusted log key 403, bad request 400). */
    | { readonly kind: 'refused'; readonly status: number; readonly reason: string }
    /** Answered 200 with no valid cosignature by the configured key. */
    | { readonly kind: 'bad-cosignature'; readonly reason: string }
    | { readonly kind: 'unreachable'; readonly reason: string }
  );

/**
 * Asks `witness` to cosign `checkpoint` (c2sp.org/tlog-witness), starting from `oldSize`, the size
 * the caller believes the witness last cosigned. On a 409 that names a smaller size the request is
 * sent once more from that size with the store's consistency proof; a larger size than the store's
 * tree means the witness saw more of this log than the store still has.
 */
export async function witnessCheckpoint(
  fetch: HttpFetch,
  witness: ConfiguredWitness,
  checkpoint: WitnessableCheckpoint,
  oldSize: number,
): Promise<WitnessingOutcome> {
  const about = { witness: witness.name, log: checkpoint.log, treeSize: checkpoint.treeSize };
  let old = Math.min(oldSize, checkpoint.treeSize);
  for (let attempt = 0; ; attempt++) {
    let outcome: AddCheckpointOutcome;
    try {
      outcome = await addCheckpoint(fetch, witness.url, {
        oldSize: old,
        proof: await checkpoint.consistencyProof(old),
        checkpoint: checkpoint.note,
      });
    } catch (error) {
      if (!isVigilError(error)) throw error;
      return { ...about, kind: 'unreachable', reason: error.message };
    }
    switch (outcome.kind) {
      case 'cosigned':
        return { ...about, ...checkCosignatures(witness, checkpoint.note, outcome.lines) };
      case 'conflict':
        if (outcome.witnessSize > checkpoint.treeSize)
          return { ...about, kind: 'witness-ahead', witnessSize: outcome.witnessSize };
        // The witness moved between our two requests (another client of the same log): say so.
        if (attempt > 0 || outcome.witnessSize === old)
          return { ...about, kind: 'refused', status: 409, reason: `witness at size ${outcome.witnessSize}` };
        old = outcome.witnessSize;
        continue;
      case 'refused':
        return {
          ...about,
          kind: outcome.status === 409 || outcome.status === 422 ? 'inconsistent' : 'refused',
          status: outcome.status,
          reason: outcome.reason,
        };
    }
  }
}

/**
 * tlog-witness: the client may append the response to its checkpoint and run a note verifier with
 * the witness keys it trusts; lines of other keys are ignored. The configured key must have signed.
 */
function checkCosignatures(
  witness: ConfiguredWitness,
  note: string,
  lines: readonly string[],
): { kind: 'cosigned'; lines: string[] } | { kind: 'bad-cosignature'; reason: string } {
  try {
    const opened = openNote(note + lines.join(''), [witness.verifier]);
    const own = new Set(opened.signatures.map((s) => s.base64));
    const mine = lines.filter((line) => own.has(line.trimEnd().split(' ')[2] ?? ''));
    return { kind: 'cosigned', lines: mine };
  } catch (error) {
    if (!isVigilError(error)) throw error;
    return {
      kind: 'bad-cosignature',
      reason:
        error.code === 'LEDGER_NOTE_UNVERIFIED'
          ? `no cosignature by the configured key ${witness.vkey.split('+').slice(0, 2).join('+')}`
          : error.message,
    };
  }
}
