import type { Kysely } from 'kysely';
import { VigilError } from '../core/vigil-error.js';
import { ledgerLog } from '../ledger/ledger-log.js';
import type { RecordKind } from '../ledger/record-envelope.js';
import type { VigilDatabase } from '../store/database-schema.js';

/** A ledgered record as stored: its place in its log, id, time and exact bytes. */
export interface LedgerRecord {
  readonly log: string;
  readonly leafIndex: number;
  readonly kind: string;
  readonly id: string;
  readonly time: string;
  readonly body: string;
}

const toRecord = (r: {
  log: string;
  leaf_index: number;
  kind: string;
  record_id: string;
  time: string;
  body: string;
}): LedgerRecord => ({
  log: r.log,
  leafIndex: Number(r.leaf_index),
  kind: r.kind,
  id: r.record_id,
  time: r.time,
  body: r.body,
});

/** Reads of the record logs (`<source>/<kind>`) for the pillars that write them and for `ledger prove`. */
export function recordReads(db: Kysely<VigilDatabase>) {
  const columns = ['log', 'leaf_index', 'kind', 'record_id', 'time', 'body'] as const;
  return {
    /** Records of one log in ledger order, from leaf `after + 1`, at most `limit`. */
    async list(
      source: string,
      kind: RecordKind,
      options: { after?: number; limit?: number } = {},
    ): Promise<LedgerRecord[]> {
      const rows = await db
        .selectFrom('ledger_records')
        .select([...columns])
        .where('log', '=', ledgerLog(source, kind))
        .where('leaf_index', '>', options.after ?? -1)
        .orderBy('leaf_index')
        .limit(options.limit ?? 1000)
        .execute();
      return rows.map(toRecord);
    },

    /** The newest record of one log, if any. */
    async latest(source: string, kind: RecordKind): Promise<LedgerRecord | undefined> {
      const row = await db
        .selectFrom('ledger_records')
        .select([...columns])
        .where('log', '=', ledgerLog(source, kind))
        .orderBy('leaf_index', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** The leaf index of a record in `log`, by its id. */
    async leafOfRecord(log: string, recordId: string): Promise<number> {
      const row = await db
        .selectFrom('ledger_records')
        .select('leaf_index')
        .where('log', '=', log)
        .where('record_id', '=', recordId)
        .executeTakeFirst();
      if (!row)
        throw new VigilError('CUSTODY_NO_SUCH_RECORD', `no record ${recordId} in ledger ${log}`, {
          category: 'input',
        });
      return Number(row.leaf_index);
    },
  };
}
