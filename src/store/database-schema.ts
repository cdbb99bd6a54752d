import type { Generated } from 'kysely';

/**
 * The custody tables (DESIGN.md "Data flow"): events with normalized columns and their verbatim JSON,
 * the per-source cursor, and the ledger (leaves, perfect-subtree nodes, signed checkpoints). Event row,
 * leaf, nodes and cursor are written in one transaction.
 */
export interface EventsTable {
  id: Generated<number>;
  source: string;
  provider_id: string;
  leaf_index: number;
  published: string;
  published_ms: number;
  event_type: string;
  actor_id: string | null;
  actor_alternate_id: string | null;
  actor_display_name: string | null;
  /** Space-separated target ids and, separately, display names/alternate ids, for search. */
  target_ids: string | null;
  target_names: string | null;
  client_ip: string | null;
  country: string | null;
  city: string | null;
  asn: number | null;
  outcome_result: string | null;
  outcome_reason: string | null;
  session_id: string | null;
  root_session_id: string | null;
  transaction_id: string | null;
  severity: string | null;
  /** The exact JSON text the provider sent for this event. */
  raw: string;
  stored_at_ms: number;
}

export interface CursorsTable {
  source: string;
  next_url: string;
  updated_at_ms: number;
  /** Published time (ms) of the newest event seen; the overlap re-read starts before it. */
  high_water_ms: number | null;
}

export interface LedgerLeavesTable {
  source: string;
  leaf_index: number;
  data: Buffer;
}

export interface LedgerNodesTable {
  source: string;
  level: number;
  idx: number;
  hash: Buffer;
}

export interface CheckpointsTable {
  id: Generated<number>;
  source: string;
  tree_size: number;
  root_hash: Buffer;
  note: string;
  created_at_ms: number;
}

export interface QuarantineTable {
  id: Generated<number>;
  source: string;
  url: string;
  error_code: string;
  message: string;
  body_excerpt: string;
  at_ms: number;
}

export interface DetectionCursorsTable {
  source: string;
  /** The last leaf index detection has finished with; -1 before the first event. */
  leaf_index: number;
  updated_at_ms: number;
}

export interface VigilDatabase {
  events: EventsTable;
  cursors: CursorsTable;
  ledger_leaves: LedgerLeavesTable;
  ledger_nodes: LedgerNodesTable;
  checkpoints: CheckpointsTable;
  quarantine: QuarantineTable;
  detection_cursors: DetectionCursorsTable;
}
