import { sql, type Kysely, type Migration } from 'kysely';

/**
 * SQLite's own migration 004: the ledger's leaves and nodes are kept in their primary-key b-tree (WITHOUT ROWID)
 * rather than in a rowid table plus a separate key index. Each leaf or node written touches one
 * b-tree instead of two, and reading a range of them (verify, proofs) is one ordered scan with no
 * lookup per row. Rows are copied as they are; PostgreSQL tables need no such change.
 */
export const ledgerWithoutRowidMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table ledger_leaves_v2 (
      source text not null, leaf_index integer not null, data blob not null,
      primary key (source, leaf_index)) without rowid`.execute(db);
    await sql`insert into ledger_leaves_v2 (source, leaf_index, data)
      select source, leaf_index, data from ledger_leaves`.execute(db);
    await sql`drop table ledger_leaves`.execute(db);
    await sql`alter table ledger_leaves_v2 rename to ledger_leaves`.execute(db);
    await sql`create table ledger_nodes_v2 (
      source text not null, level integer not null, idx integer not null, hash blob not null,
      primary key (source, level, idx)) without rowid`.execute(db);
    await sql`insert into ledger_nodes_v2 (source, level, idx, hash)
      select source, level, idx, hash from ledger_nodes`.execute(db);
    await sql`drop table ledger_nodes`.execute(db);
    await sql`alter table ledger_nodes_v2 rename to ledger_nodes`.execute(db);
  },
};
