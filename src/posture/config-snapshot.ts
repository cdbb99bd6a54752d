import { VigilError } from '../core/vigil-error.js';
import { canonicalize } from '../ledger/jcs.js';
import { sha256 } from '../ledger/merkle-hash.js';
import type { PostureErrorCode } from './errors.js';

/**
 * One snapshot of a provider's configuration (docs/design.md "Posture"): every object the
 * configuration APIs served, keyed by the object's own API path (`/api/v1/policies/00p1/rules/0pr1`),
 * which is also how findings, diffs and the simulator's control path name it. A family the reader
 * could not read is listed in `incomplete`; a snapshot with gaps is stored, but every check that
 * needs a missing family fails closed.
 *
 * Stored as a record of the source's `config-snapshots` log: its body is the RFC 8785 canonical JSON
 * of this object, so the same configuration always gives the same bytes and digest.
 */
export interface ConfigSnapshot {
  readonly v: 1;
  readonly source: string;
  /** When the reading finished, RFC 3339 UTC. */
  readonly takenAt: string;
  /** When the reading started: a change logged after this may already be in the snapshot. */
  readonly startedAt: string;
  readonly objects: Readonly<Record<string, unknown>>;
  /** Families that could not be read, with why (status and message). */
  readonly incomplete: readonly { readonly family: string; readonly reason: string }[];
}

export function snapshotBody(snapshot: ConfigSnapshot): string {
  return canonicalize(snapshot);
}

/** A snapshot's record id: its time and the start of its digest, so ids sort by time and never collide. */
export function snapshotId(snapshot: ConfigSnapshot, body = snapshotBody(snapshot)): string {
  return `${snapshot.takenAt}-${sha256(body).toString('hex').slice(0, 12)}`;
}

/** A stored snapshot body back into a snapshot; anything else is a coded error naming the record. */
export function parseSnapshot(body: string, recordId: string): ConfigSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw bad(recordId, 'not JSON', error);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw bad(recordId, 'not an object');
  const s = value as Record<string, unknown>;
  if (s['v'] !== 1) throw bad(recordId, `unsupported version ${JSON.stringify(s['v'])}`);
  if (
    typeof s['source'] !== 'string' ||
    typeof s['takenAt'] !== 'string' ||
    typeof s['startedAt'] !== 'string'
  )
    throw bad(recordId, 'source, takenAt and startedAt must be strings');
  if (s['objects'] === null || typeof s['objects'] !== 'object' || Array.isArray(s['objects']))
    throw bad(recordId, 'objects must be an object');
  if (!Array.isArray(s['incomplete'])) throw bad(recordId, 'incomplete must be an array');
  return value as ConfigSnapshot;
}

function bad(recordId: string, reason: string, cause?: unknown): VigilError<PostureErrorCode> {
  return new VigilError('POSTURE_SNAPSHOT_INVALID', `configuration snapshot ${recordId}: ${reason}`, {
    category: 'check',
    cause,
  });
}
