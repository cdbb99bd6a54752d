import { isVigilError } from '../core/vigil-error.js';
import { formatCheckpoint } from '../ledger/checkpoint.js';
import { hex8, type NoteVerifier } from '../ledger/note-key.js';
import { openNote } from '../ledger/signed-note.js';
import type { Finding } from './verification-report.js';

/** A witness cosignature as the store keeps it (migration 007). */
export interface CosignatureToCheck {
  readonly log: string;
  readonly treeSize: number;
  readonly witness: string;
  /** "— <name> <base64(key ID || timestamp || signature)>\n", verbatim. */
  readonly line: string;
}

/** What the check needs of the store's own tree, per log. */
export interface TreeView {
  /** The checkpoint origin the log signs with (its key name). */
  origin(log: string): Promise<string>;
  /** The number of leaves the store holds for the log. */
  size(log: string): Promise<number>;
  /** RFC 6962 root of the store's first `size` leaves. */
  rootAt(log: string, size: number): Promise<Buffer>;
}

/**
 * Checks every stored cosignature of a configured witness against that witness's key (vigil.yaml)
 * and the store's own tree at the cosigned size: a cosignature verifies only over the checkpoint
 * body `<origin>\n<size>\n<root>\n` with the root recomputed from the stored nodes, so a store cut
 * short or rewritten below a cosigned size fails here. Cosignatures of witnesses no longer
 * configured are not trusted and not counted (C2SP signed-note: unknown keys are ignored).
 */
export async function checkStoredCosignatures(
  cosignatures: readonly CosignatureToCheck[],
  witnesses: readonly NoteVerifier[],
  tree: TreeView,
): Promise<{ checked: number; findings: Finding[] }> {
  const byName = new Map(witnesses.map((w) => [w.name, w]));
  const findings: Finding[] = [];
  let checked = 0;
  for (const c of cosignatures) {
    const key = byName.get(c.witness);
    if (!key) continue;
    checked++;
    const about = { source: c.log, treeSize: c.treeSize, witness: c.witness };
    const keyId = lineKeyId(c.line);
    if (keyId !== key.keyId) {
      findings.push({
        ...about,
        code: 'COSIGNATURE_KEY_MISMATCH',
        message: `the cosignature of size ${c.treeSize} by ${c.witness} was made with key ${keyId === undefined ? '(unreadable)' : hex8(keyId)}, the configured key is ${hex8(key.keyId)}`,
      });
      continue;
    }
    const size = await tree.size(c.log);
    if (c.treeSize > size) {
      findings.push({
        ...about,
        code: 'COSIGNED_BEYOND_TREE',
        message: `${c.witness} cosigned size ${c.treeSize}, the store holds ${size} leaves: the ledger was cut short`,
      });
      continue;
    }
    try {
      // A root the store cannot compute (a node gone) fails the cosignature too: verify names the node.
      const body = formatCheckpoint({
        origin: await tree.origin(c.log),
        size: c.treeSize,
        rootHash: await tree.rootAt(c.log, c.treeSize),
      });
      openNote(`${body}\n${c.line}`, [key]);
    } catch (error) {
      if (!isVigilError(error)) throw error;
      findings.push({
        ...about,
        code: 'COSIGNATURE_INVALID',
        message: `the cosignature of size ${c.treeSize} by ${c.witness} does not verify over the store's tree at that size (${error.message})`,
      });
    }
  }
  return { checked, findings };
}

/** The key ID a signature line names (the first 4 bytes of its base64), if the line is readable. */
function lineKeyId(line: string): number | undefined {
  const raw = Buffer.from(line.trimEnd().split(' ')[2] ?? '', 'base64');
  return raw.length >= 4 ? raw.readUInt32BE(0) : undefined;
}
