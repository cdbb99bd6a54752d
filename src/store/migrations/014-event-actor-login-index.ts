import type { Kysely, Migration } from 'kysely';

/**
 * Event search by an actor's login (`vigil events --actor alice@acme.com`, the console's "this
 * person's events"): `actor_id` had an index, `actor_alternate_id` none, so a search by login read
 * every event (1.6 s over a million). With both indexed, SQLite answers the `actor_id = ? OR
 * actor_alternate_id = ?` of custody/event-search.ts from the two indexes.
 */
export const eventActorLoginIndexMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('events_actor_login').on('events').column('actor_alternate_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('events_actor_login').execute();
  },
};
