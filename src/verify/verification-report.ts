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
  /** A stored query column differs from the value re-derived from the verbatim event. */
  | 'EVENT_COLUMN_MISMATCH'
  /** The log's events cannot be re-derived: no configured source says which provider's format they are in. */
  | 'SOURCE_NOT_CONFIGURED'
  /** No log in the store and no configured source: a store emptied looks just like this. */
  | 'NOTHING_VERIFIED'
  /** A configured source whose log holds no leaf. */
  | 'SOURCE_EMPTY'
  /** The store's counts disagree: events against leaves. */
  | 'STORE_COUNTS_DIFFER'
  /** Leaves beyond the newest signed checkpoint. */
  | 'TREE_UNSIGNED'
  /** The collection cursor or the detection mark claims more than is stored. */
  | 'CURSOR_AHEAD'
  | 'RECORD_MISSING'
  | 'RECORD_UNLEDGERED'
  | 'RECORD_ID_MISMATCH'
  | 'RECORD_CONTENT_MISMATCH'
  | 'NODE_MISMATCH'
  | 'NODE_MISSING'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_ROOT_MISMATCH'
  | 'CHECKPOINT_BEYOND_TREE'
  | 'CHECKPOINT_INCONSISTENT'
  | 'NO_CHECKPOINT'
  /** A checkpoint kept outside the store (`--checkpoint FILE`, the rollback memory) does not verify. */
  | 'EXTERNAL_CHECKPOINT_INVALID'
  /** The store's tree is smaller than a checkpoint kept outside it: the log was rolled back. */
  | 'TREE_ROLLED_BACK'
  /** The store's tree is not an extension of a checkpoint kept outside it: the log was forked. */
  | 'TREE_INCONSISTENT'
  /** A stored witness cosignature does not verify over the store's own tree at that size. */
  | 'COSIGNATURE_INVALID'
  /** A stored cosignature names a configured witness but was made with another key. */
  | 'COSIGNATURE_KEY_MISMATCH'
  /** A witness cosigned a tree larger than the store holds: the log was truncated. */
  | 'COSIGNED_BEYOND_TREE'
  /** `verify --witness URL`: the witness could not be asked, or refused the store's checkpoint. */
  | 'WITNESS_UNAVAILABLE'
  /** An alert's status or recorded transitions do not add up (alert-history-check.ts). */
  | 'ALERT_HISTORY_INCONSISTENT'
  /** A ledgered alert is no longer in the alert table: it was deleted (alert-ledger-check.ts). */
  | 'ALERT_MISSING'
  /** An alert in the table was never ledgered: added behind Vigil's back. */
  | 'ALERT_UNLEDGERED'
  /** An alert's status, severity or transitions differ from its ledgered records. */
  | 'ALERT_LEDGER_MISMATCH'
  /** The detection mark is not the newest ledgered one (moved, or deleted, behind Vigil's back). */
  | 'DETECTION_MARK_UNLEDGERED';

export interface Finding {
  readonly code: FindingCode;
  readonly source: string;
  readonly message: string;
  readonly leafIndex?: number;
  readonly eventId?: string;
  /** In a record log (`<source>/<kind>`): the record's id. */
  readonly recordId?: string;
  readonly checkpointId?: number;
  readonly treeSize?: number;
  /** EVENT_COLUMN_MISMATCH: the query column that differs. */
  readonly column?: string;
  /** Where a checkpoint kept outside the store came from (a file). */
  readonly file?: string;
  /** The witness (its key name or URL) a cosignature or a witness check is about. */
  readonly witness?: string;
}

export interface SourceSummary {
  readonly source: string;
  readonly leaves: number;
  readonly events: number;
  readonly checkpoints: number;
  readonly latestCheckpointSize: number | null;
  readonly rootHash: string | null;
  /**
   * The newest stored checkpoint, verbatim, when the log had no finding at all: what the rollback
   * memory remembers.
   */
  readonly verifiedCheckpoint?: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly sources: SourceSummary[];
  readonly findings: Finding[];
  /** Findings beyond this many per source are counted, not listed. */
  readonly truncated: number;
}

export const MAX_FINDINGS_PER_SOURCE = 100;
