import { isVigilError } from '../core/vigil-error.js';
import { parseCheckpoint } from '../ledger/checkpoint.js';
import { EMPTY_TREE_ROOT } from '../ledger/merkle-hash.js';
import type { NoteSigner, NoteVerifier } from '../ledger/note-key.js';
import { verifyConsistency } from '../ledger/proof-verification.js';
import { openNote, signNote } from '../ledger/signed-note.js';
import { parseAddCheckpointRequest, TLOG_SIZE_CONTENT_TYPE } from './add-checkpoint.js';
import type { WitnessStateFile } from './witness-state.js';

/** One answer of the witness, with the status c2sp.org/tlog-witness v1.0.0 assigns to each outcome. */
export interface WitnessReply {
  readonly status: 200 | 400 | 403 | 404 | 409 | 422;
  readonly contentType: string;
  readonly body: string;
}

const TEXT = 'text/plain; charset=utf-8';
const refuse = (status: WitnessReply['status'], reason: string): WitnessReply => ({
  status,
  contentType: TEXT,
  body: `${reason}\n`,
});

/**
 * A witness (c2sp.org/tlog-witness): cosigns a log's checkpoint only when it is signed by a key it
 * trusts for that origin and consistent with the latest checkpoint it cosigned for that origin, and
 * never cosigns a smaller tree after a larger one. The whole check-and-update runs synchronously
 * (signature checks, proof check, the state file's fsync and the cosignature), so two requests can
 * never interleave between the check and the update: the spec's rollback race cannot happen.
 */
export class Witness {
  readonly #logs = new Map<string, NoteVerifier[]>();

  constructor(
    /** The log keys it trusts; a key's name is its log's origin (several keys per origin: rotation). */
    logs: readonly NoteVerifier[],
    private readonly state: WitnessStateFile,
    /** The witness's own cosignature/v1 key (ledger/cosignature-v1.ts). */
    private readonly cosigner: NoteSigner,
  ) {
    for (const key of logs) this.#logs.set(key.name, [...(this.#logs.get(key.name) ?? []), key]);
  }

  get origins(): string[] {
    return [...this.#logs.keys()].sort();
  }

  addCheckpoint(body: Uint8Array): WitnessReply {
    let request;
    let checkpoint;
    try {
      request = parseAddCheckpointRequest(body);
      // The origin decides which keys to check, so the body is read before the signatures are.
      const split = request.checkpoint.lastIndexOf('\n\n');
      checkpoint = parseCheckpoint(request.checkpoint.slice(0, split < 0 ? 0 : split + 1), {
        allowExtensions: true,
      });
    } catch (error) {
      if (isVigilError(error)) return refuse(400, error.message);
      throw error;
    }
    const keys = this.#logs.get(checkpoint.origin);
    if (!keys) return refuse(404, `unknown log origin ${checkpoint.origin}`);
    try {
      openNote(request.checkpoint, keys);
    } catch (error) {
      if (!isVigilError(error)) throw error;
      // A malformed note is a bad request; one no trusted key signed (or whose trusted signature fails) is forbidden.
      return refuse(error.code === 'LEDGER_NOTE_MALFORMED' ? 400 : 403, error.message);
    }
    if (request.oldSize > checkpoint.size)
      return refuse(400, `old size ${request.oldSize} exceeds the checkpoint size ${checkpoint.size}`);
    const latest = this.state.latest(checkpoint.origin);
    const latestSize = latest?.size ?? 0;
    if (request.oldSize !== latestSize)
      return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${latestSize}\n` };
    if (latest && request.oldSize === checkpoint.size && !latest.rootHash.equals(checkpoint.rootHash))
      return refuse(409, `a different root was cosigned at size ${checkpoint.size}`);
    try {
      verifyConsistency(
        request.oldSize,
        latest?.rootHash ?? EMPTY_TREE_ROOT,
        checkpoint.size,
        checkpoint.rootHash,
        request.proof,
      );
    } catch (error) {
      if (isVigilError(error)) return refuse(422, error.message);
      throw error;
    }
    this.state.record(checkpoint.origin, { size: checkpoint.size, rootHash: checkpoint.rootHash });
    const text = request.checkpoint.slice(0, request.checkpoint.lastIndexOf('\n\n') + 1);
    // signNote returns "<text>\n<signature line>"; the reply is the line alone.
    return { status: 200, contentType: TEXT, body: signNote(text, this.cosigner).slice(text.length + 1) };
  }
}
