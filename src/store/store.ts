import type { CreateTableBuilder, Kysely, Migration, RawBuilder } from 'kysely';
import type { EventColumns } from '../sources/event-columns.js';
import type { LeafRangeResult } from '../verify/leaf-check.js';
import type { VigilDatabase } from './database-schema.js';

/**
 * The store port. Custody, alerts and detection speak to the database only through this: one schema
 * (`VigilDatabase`) through Kysely, a dialect object for the few expressions SQL spells differently,
 * and optional capabilities where a dialect has a faster or different mechanism. Code outside
 * `store/<dialect>/` branches on capabilities, never on which database it is (kysely's own split of
 * `Dialect` and `DialectAdapter` is the model).
 */
export interface Store {
  readonly db: Kysely<VigilDatabase>;
  readonly dialect: StoreDialect;
  readonly capabilities: StoreCapabilities;
  /** Stops background work and closes every connection. */
  close(): Promise<void>;
}

/** Whether a command may change the store. A reader never creates one. */
export type StoreAccess = 'write' | 'read';

/** What a dialect spells in its own SQL; every other query is the same for all of them. */
export interface StoreDialect {
  readonly name: string;
  /** The exact UTF-8 bytes of a text column (SQLite can hold invalid UTF-8 in text; `verify` must see it). */
  textBytes(column: string): RawBuilder<Uint8Array>;
  /** Adds an auto-incrementing integer primary key column `name`. */
  idColumn<T extends string>(table: CreateTableBuilder<T>, name: string): CreateTableBuilder<T>;
  /** Migrations only this dialect needs, by name; merged with the neutral ones in name order. */
  readonly migrations: Readonly<Record<string, (dialect: StoreDialect) => Migration>>;
}

export interface StoreCapabilities {
  /** Prepared-statement inserts for ingest, inside the caller's open transaction. */
  readonly bulk?: BulkWriter;
  /** Told of each write transaction where the dialect checkpoints its log in the background. */
  readonly walCheckpoints?: WalCheckpoints;
  /** Ledger ranges checked by the dialect itself (SQLite: its own statements, on worker threads). */
  readonly leafRanges?: LeafRangeChecking;
}

/** What the bulk writer needs of an event about to be stored. */
export interface EventToWrite {
  readonly columns: EventColumns;
  readonly raw: string;
  readonly leaf: Uint8Array;
}

/**
 * The ingest hot path: the same rows the neutral Kysely path writes, through statements prepared
 * once and reused per row, on the same connection (so inside the caller's transaction).
 */
export interface BulkWriter {
  /** The events as leaves first, first + 1, ... of `source`. */
  insertEvents(source: string, first: number, events: readonly EventToWrite[], storedAtMs: number): void;
  insertLeaves(source: string, first: number, events: readonly EventToWrite[]): void;
  insertNodes(source: string, nodes: readonly { level: number; index: number; hash: Uint8Array }[]): void;
  /** Point lookups of tree nodes through one prepared statement (proofs read a few dozen). */
  readNodes(source: string, coords: readonly { level: number; index: number }[]): (Buffer | undefined)[];
}

export interface WalCheckpoints {
  /** Before a write transaction: waits only when background checkpoints have fallen behind. */
  beforeWrite(): Promise<void>;
  /** After a write transaction commits. */
  committed(): void;
}

export interface LeafRangeChecking {
  /**
   * Leaves [0, end) of `source` checked against their events, range by range in index order;
   * with `format`, each event's query columns re-derived with that page format and compared.
   */
  ranges(
    source: string,
    check: { deep: boolean; format?: string },
    end: number,
  ): AsyncIterable<LeafRangeResult>;
}
