import type { Database } from 'better-sqlite3';
import type { EventsTable, LedgerLeavesTable, LedgerNodesTable } from '../database-schema.js';

type EventRow = Omit<EventsTable, 'id'>;

/**
 * The ingest hot path on SQLite: the same rows the Kysely path writes, through statements prepared
 * once and reused per row. It runs on the same connection, so inside the caller's open transaction.
 * A multi-row INSERT with thousands of parameters is re-prepared by SQLite every time; this is not.
 */
export interface BulkWriter {
  insertEvents(rows: readonly EventRow[]): void;
  insertLeaves(rows: readonly LedgerLeavesTable[]): void;
  insertNodes(rows: readonly LedgerNodesTable[]): void;
  /** Point lookups of tree nodes through one prepared statement (proofs read a few dozen). */
  readNodes(source: string, coords: readonly { level: number; index: number }[]): (Buffer | undefined)[];
}

const EVENT_COLUMNS = [
  'source',
  'provider_id',
  'leaf_index',
  'published',
  'published_ms',
  'event_type',
  'actor_id',
  'actor_alternate_id',
  'actor_display_name',
  'target_ids',
  'target_names',
  'client_ip',
  'country',
  'city',
  'asn',
  'outcome_result',
  'outcome_reason',
  'session_id',
  'root_session_id',
  'transaction_id',
  'severity',
  'raw',
  'stored_at_ms',
] as const satisfies readonly (keyof EventRow)[];

export function sqliteBulkWriter(db: Database): BulkWriter {
  const events = db.prepare(
    `insert into events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const leaves = db.prepare('insert into ledger_leaves (source, leaf_index, data) values (?, ?, ?)');
  const nodes = db.prepare('insert into ledger_nodes (source, level, idx, hash) values (?, ?, ?, ?)');
  const node = db.prepare('select hash from ledger_nodes where source = ? and level = ? and idx = ?').pluck();
  return {
    insertEvents: (rows) => {
      // Positional binding: better-sqlite3 binds an array faster than it looks up named parameters.
      const values: unknown[] = new Array<unknown>(EVENT_COLUMNS.length);
      for (const r of rows) {
        for (let i = 0; i < EVENT_COLUMNS.length; i++) values[i] = r[EVENT_COLUMNS[i]!];
        events.run(values);
      }
    },
    insertLeaves: (rows) => {
      for (const r of rows) leaves.run(r.source, r.leaf_index, r.data);
    },
    insertNodes: (rows) => {
      for (const r of rows) nodes.run(r.source, r.level, r.idx, r.hash);
    },
    readNodes: (source, coords) =>
      coords.map((c) => node.get(source, c.level, c.index) as Buffer | undefined),
  };
}
