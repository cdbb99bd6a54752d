/**
 * The outcome of `vigil verify`: one finding per thing that does not hold, each naming the source,
 * and where it applies the leaf index, event id or checkpoint. Codes are stable for scripts.
 */
export type FindingCode =
  | 'LEAF_GAP'
  | 'LEAF_ENVELOPE_INVALID'
  | 'LEAF_WRONG_SOURCE'
  | 'EVENT_MISSING'
  | 'EVENT_UNLEDGERED'
  | 'EVENT_DUPLICATE_LEAF'
  | 'EVENT_ID_MISMATCH'
  | 'EVENT_CONTENT_MISMATCH'
  | 'EVENT_UNPARSEABLE'
  | 'NODE_MISMATCH'
  | 'NODE_MISSING'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_ROOT_MISMATCH'
  | 'CHECKPOINT_BEYOND_TREE'
  | 'CHECKPOINT_INCONSISTENT'
  | 'NO_CHECKPOINT';

export interface Finding {
  readonly code: FindingCode;
  readonly source: string;
  readonly message: string;
  readonly leafIndex?: number;
  readonly eventId?: string;
  readonly checkpointId?: number;
  readonly treeSize?: number;
}

export interface SourceSummary {
  readonly source: string;
  readonly leaves: number;
  readonly events: number;
  readonly checkpoints: number;
  readonly latestCheckpointSize: number | null;
  readonly rootHash: string | null;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly sources: SourceSummary[];
  readonly findings: Finding[];
  /** Findings beyond this many per source are counted, not listed. */
  readonly truncated: number;
}

export const MAX_FINDINGS_PER_SOURCE = 100;
