import type { Database } from 'better-sqlite3';
import { EVENT_COLUMN_NAMES as COLUMNS } from '../../sources/event-columns.js';
import type { BulkWriter } from '../store.js';
import { mappingErrors } from './sqlite-errors.js';

const EVENT_COLUMNS = ['source', 'leaf_index', ...COLUMNS, 'raw', 'stored_at_ms'];

/**
 * The store's bulk writer on SQLite (store.ts `BulkWriter`). A multi-row INSERT with thousands of
 * parameters is re-prepared by SQLite every time; these statements are prepared once.
 */
export function sqliteBulkWriter(db: Database, file: string): BulkWriter {
  const eventsStatement = db.prepare(
    `insert into events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const leaves = db.prepare('insert into ledger_leaves (source, leaf_index, data) values (?, ?, ?)');
  const nodes = db.prepare('insert into ledger_nodes (source, level, idx, hash) values (?, ?, ?, ?)');
  const node = db.prepare('select hash from ledger_nodes where source = ? and level = ? and idx = ?').pluck();
  const writer: BulkWriter = {
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
  // A full disk is one clear error naming the store (sqlite-errors.ts), on this path too.
  return {
    insertEvents: mappingErrors(file, writer.insertEvents),
    insertLeaves: mappingErrors(file, writer.insertLeaves),
    insertNodes: mappingErrors(file, writer.insertNodes),
    readNodes: mappingErrors(file, writer.readNodes),
  };
}
