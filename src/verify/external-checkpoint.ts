import type { HashReader } from '../ledger/hash-reader.js';
import { EMPTY_TREE_ROOT } from '../ledger/merkle-hash.js';
import type { NoteVerifier } from '../ledger/note-key.js';
import { verifyConsistency } from '../ledger/proof-verification.js';
import { consistencyProof } from '../ledger/proofs.js';
import { openCheckpoint } from '../ledger/signed-checkpoint.js';
import type { Finding } from './verification-report.js';

/** A log as verify found it: the tree recomputed from its stored leaves, and its stored nodes. */
export interface VerifiedLog {
  readonly log: string;
  readonly size: number;
  /** The root recomputed from the stored leaves (not a stored node or checkpoint). */
  readonly root: Buffer;
  /** The stored nodes, for the consistency proof from the checkpoint's size to `size`. */
  readonly hashes: HashReader;
}

/**
 * The origin a signed checkpoint names (its first line), read without verifying anything: to find
 * which log and which key a checkpoint kept elsewhere is about. Undefined when there is none.
 */
export function checkpointOrigin(note: string): string | undefined {
  const end = note.indexOf('\n');
  return end > 0 ? note.slice(0, end) : undefined;
}

/**
 * Checks a log against a checkpoint kept outside the store (a file, the rollback memory, a
 * witness's cosigned checkpoint): the note must be signed by the log's key, and the store's tree
 * must extend it: at least as large, and consistent with it by a consistency proof from the
 * checkpoint's size to the tree's (RFC 9162 §2.1.4.2), checked against the root recomputed from the
 * leaves, so a stored node cannot vouch for itself. Truncation shows as a smaller tree; rewriting
 * history (a fork, or a truncation followed by new appends) as an inconsistent one. `from` names
 * where the checkpoint came from, for the findings.
 */
export async function checkAgainstCheckpoint(
  note: string,
  verifier: NoteVerifier | undefined,
  state: VerifiedLog,
  from: string,
): Promise<Finding[]> {
  const at = { source: state.log, file: from };
  if (!verifier)
    return [
      {
        code: 'EXTERNAL_CHECKPOINT_INVALID',
        ...at,
        message: `the checkpoint from ${from} cannot be checked: no verifier key for log ${state.log}`,
      },
    ];
  let checkpoint;
  try {
    checkpoint = openCheckpoint(note, verifier);
  } catch (error) {
    // Still place its claimed size against the tree: a forged note is reported, never trusted.
    return [
      {
        code: 'EXTERNAL_CHECKPOINT_INVALID',
        ...at,
        message: `the checkpoint from ${from} does not verify with the key of log ${state.log} (${verifier.name}): ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  const { size, rootHash } = checkpoint;
  if (size > state.size)
    return [
      {
        code: 'TREE_ROLLED_BACK',
        ...at,
        treeSize: size,
        message: `log ${state.log} has ${state.size} leaves, but the checkpoint from ${from} signs ${size}: the log was truncated or rolled back below size ${size}`,
      },
    ];
  try {
    if (size === state.size || size === 0) {
      const expected = size === 0 ? EMPTY_TREE_ROOT : state.root;
      if (!expected.equals(rootHash)) throw new Error(`the roots at size ${size} differ`);
    } else {
      const proof = await consistencyProof(size, state.size, state.hashes);
      verifyConsistency(size, rootHash, state.size, state.root, proof);
    }
  } catch (error) {
    return [
      {
        code: 'TREE_INCONSISTENT',
        ...at,
        treeSize: size,
        message: `log ${state.log} (${state.size} leaves) is not an extension of the checkpoint from ${from} (size ${size}, root ${rootHash.toString('base64')}): ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  return [];
}
