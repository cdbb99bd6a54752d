import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import {
  checkpointDue,
  DEFAULT_CHECKPOINT_POLICY,
  type CheckpointPolicy,
} from '../ledger/checkpoint-schedule.js';
import type { HashReader } from '../ledger/hash-reader.js';
import { rawDigest } from '../ledger/leaf-envelope.js';
import { ledgerLog } from '../ledger/ledger-log.js';
import { hashLeaf } from '../ledger/merkle-hash.js';
import { encodeRecordEnvelope, recordEnvelopeFor, type RecordKind } from '../ledger/record-envelope.js';
import type { NoteSigner } from '../ledger/note-key.js';
import { readFrontier } from '../ledger/read-frontier.js';
import { signCheckpoint } from '../ledger/signed-checkpoint.js';
import { appendLeaves, frontierRoot, type Frontier, type NodeCoord } from '../ledger/tree-frontier.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { StoreErrorCode } from '../store/errors.js';
import type { BulkWriter, Store, WalCheckpoints } from '../store/store.js';
import type { PreparedEvent } from './prepared-page.js';
import type { CustodyErrorCode } from './errors.js';

export interface IngestResult {
  /** Events new to the store (appended to the ledger), in ledger order. */
  readonly stored: PreparedEvent[];
  readonly duplicates: number;
  readonly treeSize: number;
  /** Versions of stored events re-served with different bytes, first seen in this transaction. */
  readonly rewritten: RewrittenEvent[];
}

/**
 * An event the provider served again under an id already stored, with different bytes: the
 * provider rewrote its history (issue 19). The stored copy stays the ledgered one; the new version
 * is kept beside it (`rewritten_events`).
 */
export interface RewrittenEvent {
  readonly source: string;
  readonly providerId: string;
  /** Lower-case hex SHA-256 of the stored copy's raw bytes. */
  readonly storedSha256: string;
  /** Lower-case hex SHA-256 of the re-served version's raw bytes. */
  readonly newSha256: string;
}

const CHUNK = 400;

/** A record to ledger: its id (unique in its log), its time (RFC 3339 UTC) and its exact bytes. */
export interface LedgerRecordInput {
  readonly id: string;
  readonly time: string;
  /** The record as it is stored and digested, typically canonical JSON. */
  readonly body: string;
}

function missingNode(source: string, c: NodeCoord): never {
  throw new VigilError('LEDGER_NODE_MISSING', `ledger ${source}: node ${c.level}/${c.index} is not stored`, {
    category: 'check',
  });
}

/**
 * The custody rule (docs/design.md): an event is in the store, in the ledger and covered by the cursor,
 * or in none of them. `ingest` writes the new events' rows, their leaves and tree nodes, the cursor
 * and, when due, a signed checkpoint, in one transaction.
 */
export class CustodyStore {
  readonly #frontiers = new Map<string, Frontier>();
  readonly #lastCheckpoint = new Map<string, { size: number; signedAt: number }>();

  readonly db: Kysely<VigilDatabase>;
  /** The dialect's fast path for the row inserts, where it has one (SQLite). */
  private readonly bulk: BulkWriter | undefined;
  /** Told of each write transaction, where the store checkpoints its WAL in the background. */
  private readonly walCheckpoints: WalCheckpoints | undefined;

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** The ledger's signer; only writers have one (keys/signer-provider.ts). */
    private readonly signerFor: (source: string) => NoteSigner,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ) {
    this.db = store.db;
    this.bulk = store.capabilities.bulk;
    this.walCheckpoints = store.capabilities.walCheckpoints;
  }

  /** One write transaction, with the WAL checkpointer told before and after. */
  async #write<T>(work: (trx: Transaction<VigilDatabase>) => Promise<T>): Promise<T> {
    await this.walCheckpoints?.beforeWrite();
    const result = await this.db.transaction().execute(work);
    this.walCheckpoints?.committed();
    return result;
  }

  async cursor(source: string) {
    return this.db.selectFrom('cursors').selectAll().where('source', '=', source).executeTakeFirst();
  }

  hashReader(source: string, db: Kysely<VigilDatabase> = this.db): HashReader {
    return {
      readNodes: async (coords: readonly NodeCoord[]) => {
        if (coords.length === 0) return [];
        // A proof wants a few dozen scattered nodes: prepared point lookups, where the dialect has
        // them, cost a few microseconds each against a compiled query per level.
        if (this.bulk && coords.length <= 256) {
          const found = this.bulk.readNodes(source, coords);
          return coords.map((c, i) => found[i] ?? missingNode(source, c));
        }
        // One range query per level: a batch's nodes sit in a few contiguous runs per level.
        // Proofs want a few scattered nodes per level: those go by exact index.
        const levels = new Map<number, number[]>();
        for (const c of coords) {
          const indexes = levels.get(c.level);
          if (indexes) indexes.push(c.index);
          else levels.set(c.level, [c.index]);
        }
        const byKey = new Map<string, Buffer>();
        for (const [level, indexes] of levels) {
          const lo = Math.min(...indexes);
          const hi = Math.max(...indexes);
          let q = db
            .selectFrom('ledger_nodes')
            .select(['idx', 'hash'])
            .where('source', '=', source)
            .where('level', '=', level);
          q =
            hi - lo < indexes.length * 4
              ? q.where('idx', '>=', lo).where('idx', '<=', hi)
              : q.where('idx', 'in', indexes);
          for (const r of await q.execute()) byKey.set(`${level}:${r.idx}`, r.hash);
        }
        return coords.map((c) => {
          const hash = byKey.get(`${c.level}:${c.index}`);
          return hash ? Buffer.from(hash) : missingNode(source, c);
        });
      },
    };
  }

  async treeSize(source: string, db: Kysely<VigilDatabase> = this.db): Promise<number> {
    const row = await db
      .selectFrom('ledger_leaves')
      .select(sql<number>`coalesce(max(leaf_index) + 1, 0)`.as('size'))
      .where('source', '=', source)
      .executeTakeFirst();
    return Number(row?.size ?? 0);
  }

  async #frontier(source: string, trx: Kysely<VigilDatabase>): Promise<Frontier> {
    // Always re-read inside the transaction: another process may have appended since.
    const size = await this.treeSize(source, trx);
    const cached = this.#frontiers.get(source);
    if (cached && cached.size === size) return cached;
    try {
      return await readFrontier(size, this.hashReader(source, trx));
    } catch (error) {
      throw new VigilError<StoreErrorCode>(
        'STORE_LEDGER_CORRUPT',
        `ledger ${source}: cannot resume at size ${size}; run vigil verify`,
        {
          category: 'check',
          cause: error,
        },
      );
    }
  }

  /**
   * Stores one page, or several consecutive pages with the last one's cursor: new events, their
   * leaves and nodes, the cursor, a checkpoint when due. Events already stored are skipped.
   */
  async ingest(
    source: string,
    events: readonly PreparedEvent[],
    /** null: leave the cursor as it is (the overlap re-read does not move it). */
    cursor: { nextUrl: string; highWaterMs: number | null } | null,
  ): Promise<IngestResult> {
    return this.#write(async (trx) => {
      const unique = new Map<string, PreparedEvent>();
      // Versions that differ from the copy kept: [kept raw, other version].
      const differing: [string, PreparedEvent][] = [];
      for (const e of events) {
        const first = unique.get(e.uuid);
        if (!first) unique.set(e.uuid, e);
        else if (first.raw !== e.raw) differing.push([first.raw, e]);
      }
      const known = await this.#knownIds(trx, source, [...unique.keys()]);
      const fresh: PreparedEvent[] = [];
      for (const e of unique.values()) {
        const stored = known.get(e.uuid);
        if (stored === undefined) fresh.push(e);
        else if (stored !== e.raw) differing.push([stored, e]);
      }
      const rewritten = differing.length === 0 ? [] : await this.#keepRewritten(trx, source, differing);
      let frontier = await this.#frontier(source, trx);
      const now = this.clock.now();
      if (fresh.length > 0) {
        const appended = appendLeaves(
          frontier,
          fresh.map((e) => e.leafHash),
        );
        const first = frontier.size;
        if (this.bulk) {
          // Bound straight from the prepared events: no row objects on the hot path.
          this.bulk.insertEvents(source, first, fresh, now);
          this.bulk.insertLeaves(source, first, fresh);
          this.bulk.insertNodes(source, appended.nodes);
        } else {
          const eventRows = fresh.map((e, k) => ({
            ...e.columns,
            source,
            leaf_index: first + k,
            raw: e.raw,
            stored_at_ms: now,
          }));
          const leafRows = fresh.map((e, k) => ({ source, leaf_index: first + k, data: e.leaf }));
          const nodeRows = appended.nodes.map((n) => ({
            source,
            level: n.level,
            idx: n.index,
            hash: n.hash,
          }));
          for (let i = 0; i < eventRows.length; i += CHUNK) {
            await trx
              .insertInto('events')
              .values(eventRows.slice(i, i + CHUNK))
              .execute();
            await trx
              .insertInto('ledger_leaves')
              .values(leafRows.slice(i, i + CHUNK))
              .execute();
          }
          for (let i = 0; i < nodeRows.length; i += CHUNK) {
            await trx
              .insertInto('ledger_nodes')
              .values(nodeRows.slice(i, i + CHUNK))
              .execute();
          }
        }
        frontier = appended.frontier;
      }
      if (cursor)
        await trx
          .insertInto('cursors')
          .values({ source, next_url: cursor.nextUrl, updated_at_ms: now, high_water_ms: cursor.highWaterMs })
          .onConflict((oc) =>
            oc.column('source').doUpdateSet({
              next_url: cursor.nextUrl,
              updated_at_ms: now,
              // The larger of the two, in SQL every dialect reads (SQLite's two-argument max is its own).
              high_water_ms: sql`case when coalesce(excluded.high_water_ms, 0) > coalesce(cursors.high_water_ms, 0)
                then coalesce(excluded.high_water_ms, 0) else coalesce(cursors.high_water_ms, 0) end`,
            }),
          )
          .execute();
      await this.#checkpointIfDue(trx, source, frontier, now);
      this.#frontiers.set(source, frontier);
      return { stored: fresh, duplicates: events.length - fresh.length, treeSize: frontier.size, rewritten };
    });
  }

  /**
   * Signs a checkpoint now if the schedule says so, even with nothing new (heartbeat). At the end of
   * a collection run (`endOfRun`) any growth is signed at once, so a run's last events are covered.
   */
  async checkpointIfDue(source: string, options: { endOfRun?: boolean } = {}): Promise<void> {
    await this.#write(async (trx) => {
      await this.#checkpointIfDue(
        trx,
        source,
        await this.#frontier(source, trx),
        this.clock.now(),
        options.endOfRun,
      );
    });
  }

  async #checkpointIfDue(
    trx: Kysely<VigilDatabase>,
    source: string,
    frontier: Frontier,
    now: number,
    endOfRun = false,
  ) {
    let last = this.#lastCheckpoint.get(source);
    if (!last) {
      const row = await trx
        .selectFrom('checkpoints')
        .select(['tree_size', 'created_at_ms'])
        .where('source', '=', source)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row) last = { size: Number(row.tree_size), signedAt: Number(row.created_at_ms) };
    }
    if (frontier.size === 0 && !last) return;
    const grown = last !== undefined && frontier.size > last.size;
    if (!checkpointDue(last, frontier.size, now, this.policy) && !(endOfRun && grown)) return;
    const signer = this.signerFor(source);
    const root = frontierRoot(frontier);
    const note = signCheckpoint({ origin: signer.name, size: frontier.size, rootHash: root }, signer);
    await trx
      .insertInto('checkpoints')
      .values({ source, tree_size: frontier.size, root_hash: root, note, created_at_ms: now })
      .execute();
    this.#lastCheckpoint.set(source, { size: frontier.size, signedAt: now });
  }

  /**
   * Appends records of one kind to the source's log for that kind (`<source>/<kind>`): each record's
   * row, leaf and tree nodes, and a checkpoint signed over the new size, in one transaction. A
   * record whose id the log already holds with the same bytes is skipped; with other bytes it is
   * refused (a record, once ledgered, never changes), and nothing of the call is written.
   */
  async appendRecords(
    source: string,
    kind: RecordKind,
    records: readonly LedgerRecordInput[],
  ): Promise<{ appended: number; treeSize: number }> {
    const prepared = this.#prepareRecords(source, kind, records);
    return this.#write((trx) => this.#appendRecords(trx, source, kind, prepared, true));
  }

  /**
   * `appendRecords` inside a transaction the caller opened and commits (an alert and its record,
   * the detection mark and its record): the state change and its record are written together or
   * not at all. Nothing is cached from it, since the caller's transaction may still roll back.
   */
  async appendRecordsIn(
    trx: Kysely<VigilDatabase>,
    source: string,
    kind: RecordKind,
    records: readonly LedgerRecordInput[],
  ): Promise<{ appended: number; treeSize: number }> {
    const prepared = this.#prepareRecords(source, kind, records);
    const log = ledgerLog(source, kind);
    this.#frontiers.delete(log);
    this.#lastCheckpoint.delete(log);
    try {
      return await this.#appendRecords(trx, source, kind, prepared, false);
    } finally {
      this.#frontiers.delete(log);
      this.#lastCheckpoint.delete(log);
    }
  }

  #prepareRecords(source: string, kind: RecordKind, records: readonly LedgerRecordInput[]) {
    return records.map((r) => ({
      ...r,
      leaf: encodeRecordEnvelope(recordEnvelopeFor(source, kind, r.id, r.time, r.body)),
    }));
  }

  async #appendRecords(
    trx: Kysely<VigilDatabase>,
    source: string,
    kind: RecordKind,
    prepared: readonly (LedgerRecordInput & { leaf: Buffer })[],
    cache: boolean,
  ): Promise<{ appended: number; treeSize: number }> {
    const log = ledgerLog(source, kind);
    const fresh: (LedgerRecordInput & { leaf: Buffer })[] = [];
    const seen = new Map<string, string>();
    for (let i = 0; i < prepared.length; i += CHUNK) {
      const ids = prepared.slice(i, i + CHUNK).map((r) => r.id);
      const rows = await trx
        .selectFrom('ledger_records')
        .select(['record_id', 'body'])
        .where('log', '=', log)
        .where('record_id', 'in', ids)
        .execute();
      for (const row of rows) seen.set(row.record_id, row.body);
    }
    for (const r of prepared) {
      const stored = seen.get(r.id);
      if (stored === undefined) {
        seen.set(r.id, r.body);
        fresh.push(r);
      } else if (stored !== r.body) {
        throw new VigilError<CustodyErrorCode>(
          'CUSTODY_RECORD_CONFLICT',
          `ledger ${log}: record ${r.id} is already ledgered with other content; a ledgered record never changes`,
          { category: 'input', details: { log, recordId: r.id } },
        );
      }
    }
    let frontier = await this.#frontier(log, trx);
    const now = this.clock.now();
    if (fresh.length > 0) {
      const first = frontier.size;
      const appended = appendLeaves(
        frontier,
        fresh.map((r) => hashLeaf(r.leaf)),
      );
      for (let i = 0; i < fresh.length; i += CHUNK) {
        const chunk = fresh.slice(i, i + CHUNK);
        await trx
          .insertInto('ledger_records')
          .values(
            chunk.map((r, k) => ({
              log,
              leaf_index: first + i + k,
              kind,
              record_id: r.id,
              time: r.time,
              body: r.body,
              stored_at_ms: now,
            })),
          )
          .execute();
        await trx
          .insertInto('ledger_leaves')
          .values(chunk.map((r, k) => ({ source: log, leaf_index: first + i + k, data: r.leaf })))
          .execute();
      }
      for (let i = 0; i < appended.nodes.length; i += CHUNK) {
        await trx
          .insertInto('ledger_nodes')
          .values(
            appended.nodes
              .slice(i, i + CHUNK)
              .map((n) => ({ source: log, level: n.level, idx: n.index, hash: n.hash })),
          )
          .execute();
      }
      frontier = appended.frontier;
    }
    // Records are few and each matters: every append is covered by a signed checkpoint at once.
    await this.#checkpointIfDue(trx, log, frontier, now, true);
    if (cache) this.#frontiers.set(log, frontier);
    return { appended: fresh.length, treeSize: frontier.size };
  }

  /** The stored raw text of those of `ids` already stored. */
  async #knownIds(
    trx: Kysely<VigilDatabase>,
    source: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await trx
        .selectFrom('events')
        .select(['provider_id', 'raw'])
        .where('source', '=', source)
        .where('provider_id', 'in', ids.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) known.set(r.provider_id, r.raw);
    }
    return known;
  }

  /** Keeps each new version of a re-served event (both digests, its bytes); returns those not kept before. */
  async #keepRewritten(
    trx: Kysely<VigilDatabase>,
    source: string,
    differing: readonly [string, PreparedEvent][],
  ): Promise<RewrittenEvent[]> {
    const found: RewrittenEvent[] = [];
    const now = this.clock.now();
    for (const [storedRaw, e] of differing) {
      const finding: RewrittenEvent = {
        source,
        providerId: e.uuid,
        storedSha256: rawDigest(storedRaw).toString('hex'),
        newSha256: rawDigest(e.raw).toString('hex'),
      };
      const seen = await trx
        .selectFrom('rewritten_events')
        .select('provider_id')
        .where('source', '=', source)
        .where('provider_id', '=', e.uuid)
        .where('new_sha256', '=', finding.newSha256)
        .executeTakeFirst();
      if (seen) continue;
      await trx
        .insertInto('rewritten_events')
        .values({
          source,
          provider_id: e.uuid,
          stored_sha256: finding.storedSha256,
          new_sha256: finding.newSha256,
          new_raw: e.raw,
          seen_at_ms: now,
        })
        .execute();
      found.push(finding);
    }
    return found;
  }

  /** Every kept version of a re-served event (of `source`, or of every source), oldest first. */
  async rewrittenEvents(source?: string) {
    let q = this.db.selectFrom('rewritten_events').selectAll();
    if (source !== undefined) q = q.where('source', '=', source);
    return q.orderBy('seen_at_ms').orderBy('source').orderBy('provider_id').execute();
  }

  async quarantine(source: string, url: string, code: string, message: string, body: string): Promise<void> {
    await this.db
      .insertInto('quarantine')
      .values({
        source,
        url,
        error_code: code,
        message,
        body_excerpt: body.slice(0, 2048),
        at_ms: this.clock.now(),
      })
      .execute();
  }
}
