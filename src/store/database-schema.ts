import type { ColumnType, Generated } from 'kysely';
import type { EventColumns } from '../sources/event-columns.js';
import type {
  AlertDeliveriesTable,
  AlertReasonsTable,
  AlertsTable,
  AlertTransitionsTable,
} from './alert-tables.js';
import type {
  ConsoleApiTokensTable,
  ConsoleEnrolmentsTable,
  ConsolePasskeysTable,
  ConsoleRecoveryCodesTable,
  ConsoleSessionsTable,
  ConsoleSignInAttemptsTable,
  ConsoleTotpTable,
  ConsoleUsersTable,
} from './console-tables.js';

/** An event row: the query columns its source adapter derived, and the verbatim JSON. */
export interface EventsTable extends EventColumns {
  id: Generated<number>;
  source: string;
  leaf_index: number;
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

/** A version of a stored event the provider re-served with different bytes (migration 008). */
export interface RewrittenEventsTable {
  source: string;
  provider_id: string;
  /** Lower-case hex SHA-256 of the stored (ledgered) copy's raw bytes. */
  stored_sha256: string;
  /** Lower-case hex SHA-256 of the re-served version's raw bytes. */
  new_sha256: string;
  new_raw: string;
  seen_at_ms: number;
}

/** A record of a ledger kind other than events, stored beside its leaf (migration 005). */
export interface LedgerRecordsTable {
  /** The log, `<source>/<kind>` (src/ledger/ledger-log.ts). */
  log: string;
  leaf_index: number;
  kind: string;
  record_id: string;
  /** RFC 3339 UTC, as in the leaf. */
  time: string;
  /** The record's exact bytes (JSON text); the leaf holds their SHA-256. */
  body: string;
  stored_at_ms: number;
}

export interface DetectionCursorsTable {
  source: string;
  /** The last leaf index detection has finished with; -1 before the first event. */
  leaf_index: number;
  updated_at_ms: number;
  /** 1 once detector state is saved with the mark (migration 009); 0 for a mark older than that. */
  state_saved: ColumnType<number, number | undefined, number>;
}

/** One key of a stateful detector's memory, per source, saved with the detection mark (migration 009). */
export interface DetectorStateTable {
  source: string;
  /** `<detector id>.<state name>`, or `sigma` for the correlations' open windows. */
  part: string;
  key: string;
  json: string;
}

/** A witness's cosignature of one of this store's checkpoints (migration 007). */
export interface WitnessCosignaturesTable {
  log: string;
  tree_size: number;
  /** The witness's key name. */
  witness: string;
  /** The note signature line the witness returned, verbatim with its newline. */
  cosignature: string;
  received_at_ms: number;
}

/** An incident: a breach window and its indicators (migration 011, `response/incident/`). */
export interface IncidentsTable {
  id: string;
  name: string;
  source: string;
  from_time: string;
  to_time: string;
  scope: string;
  /** The indicators as a JSON array of `{kind, value}`. */
  iocs_json: string;
  status: string;
  opened_at: string;
  closed_at: string | null;
}

/**
 * The one schema of the store, for every dialect. Custody: events with their query columns and
 * verbatim JSON, the per-source cursor, the ledger (leaves, perfect-subtree nodes, signed
 * checkpoints) and quarantined pages; event row, leaf, nodes and cursor are written in one
 * transaction. Detection: its mark per source. Alerts: alerts and their status transitions.
 */
export interface VigilDatabase {
  events: EventsTable;
  cursors: CursorsTable;
  ledger_leaves: LedgerLeavesTable;
  ledger_nodes: LedgerNodesTable;
  checkpoints: CheckpointsTable;
  ledger_records: LedgerRecordsTable;
  quarantine: QuarantineTable;
  rewritten_events: RewrittenEventsTable;
  detection_cursors: DetectionCursorsTable;
  detector_state: DetectorStateTable;
  alerts: AlertsTable;
  alert_transitions: AlertTransitionsTable;
  alert_reasons: AlertReasonsTable;
  alert_deliveries: AlertDeliveriesTable;
  witness_cosignatures: WitnessCosignaturesTable;
  incidents: IncidentsTable;
  console_users: ConsoleUsersTable;
  console_passkeys: ConsolePasskeysTable;
  console_totp: ConsoleTotpTable;
  console_recovery_codes: ConsoleRecoveryCodesTable;
  console_enrolments: ConsoleEnrolmentsTable;
  console_sessions: ConsoleSessionsTable;
  console_api_tokens: ConsoleApiTokensTable;
  console_sign_in_attempts: ConsoleSignInAttemptsTable;
}
