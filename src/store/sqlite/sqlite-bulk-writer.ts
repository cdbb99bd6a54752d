import type { Database } from 'better-sqlite3';
import type { OktaColumns } from '../../sources/okta/normalize.js';

/** What the writer needs of a prepared event (custody/prepared-page.ts). */
interface EventToWrite {
  readonly columns: OktaColumns;
  readonly raw: string;
  readonly leaf: Uint8Array;
}

/**
 * The ingest hot path on SQLite: the same rows the Kysely path writes, through statements prepared
 * once and reused per row. It runs on the same connection, so inside the caller's open transaction.
 * A multi-row INSERT with thousands of parameters is re-prepared by SQLite every time; this is not.
 */
export interface BulkWriter {
  /** The events as leaves first, first + 1, ... of `source`. */
  insertEvents(source: string, first: number, events: readonly EventToWrite[], storedAtMs: number): void;
  insertLeaves(source: string, first: number, events: readonly EventToWrite[]): void;
  insertNodes(source: string, nodes: readonly { level: number; index: number; hash: Uint8Array }[]): void;
  /** Point lookups of tree nodes through one prepared statement (proofs read a few dozen). */
  readNodes(source: string, coords: readonly { level: number; index: number }[]): (Buffer | undefined)[];
}

/** The query columns, in the order the statement binds them after source and leaf_index. */
const COLUMNS = [
  'provider_id',
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
] as const satisfies readonly (keyof OktaColumns)[];

const EVENT_COLUMNS = ['source', 'leaf_index', ...COLUMNS, 'raw', 'stored_at_ms'];

export function sqliteBulkWriter(db: Database): BulkWriter {
  const eventsStatement = db.prepare(
    `insert into events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const leaves = db.prepare('insert into ledger_leaves (source, leaf_index, data) values (?, ?, ?)');
  const nodes = db.prepare('insert into ledger_nodes (source, level, idx, hash) values (?, ?, ?, ?)');
  const node = db.prepare('select hash from ledger_nodes where source = ? and level = ? and idx = ?').pluck();
  return {
    insertEvents: (source, first, events, storedAtMs) => {
      // Positional binding: better-sqlite3 binds an array faster than it looks up named parameters.
      const values: unknown[] = new Array<unknown>(EVENT_COLUMNS.length);
      values[0] = source;
      values[EVENT_COLUMNS.length - 1] = storedAtMs;
      for (let k = 0; k < events.length; k++) {
        const { columns, raw } = events[k]!;
        values[1] = first + k;
        for (let i = 0; i < COLUMNS.length; i++) values[2 + i] = columns[COLUMNS[i]!];
        values[2 + COLUMNS.length] = raw;
        eventsStatement.run(values);
      }
    },
    insertLeaves: (source, first, events) => {
      for (let k = 0; k < events.length; k++) leaves.run(source, first + k, events[k]!.leaf);
    },
    insertNodes: (source, rows) => {
      for (const r of rows) nodes.run(source, r.level, r.index, r.hash);
    },
    readNodes: (source, coords) =>
      coords.map((c) => node.get(source, c.level, c.index) as Buffer | undefined),
  };
}
