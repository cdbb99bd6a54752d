import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { VigilDatabase } from '../store/database-schema.js';

const PAGE = 2_000;

/** Detection's view of the custody store (detect/pipeline/detection-log.ts), over the store's tables. */
export function storedDetectionLog(db: Kysely<VigilDatabase>, clock: Clock) {
  return {
    async mark(source: string): Promise<number | undefined> {
      const row = await db
        .selectFrom('detection_cursors')
        .select('leaf_index')
        .where('source', '=', source)
        .executeTakeFirst();
      return row ? Number(row.leaf_index) : undefined;
    },
    async setMark(source: string, leaf: number): Promise<void> {
      const now = clock.now();
      await db
        .insertInto('detection_cursors')
        .values({ source, leaf_index: leaf, updated_at_ms: now })
        .onConflict((oc) => oc.column('source').doUpdateSet({ leaf_index: leaf, updated_at_ms: now }))
        .execute();
    },
    async lastLeaf(source: string): Promise<number> {
      const row = await db
        .selectFrom('events')
        .select((eb) => eb.fn.max('leaf_index').as('last'))
        .where('source', '=', source)
        .executeTakeFirst();
      return row?.last == null ? -1 : Number(row.last);
    },
    async publishedMs(source: string, leaf: number): Promise<number | undefined> {
      const row = await db
        .selectFrom('events')
        .select('published_ms')
        .where('source', '=', source)
        .where('leaf_index', '=', leaf)
        .executeTakeFirst();
      return row ? Number(row.published_ms) : undefined;
    },
    async windowStart(
      source: string,
      through: number,
      fromMs: number,
      max: number,
    ): Promise<number | undefined> {
      const newest = await db
        .selectFrom('events')
        .select('leaf_index')
        .where('source', '=', source)
        .where('leaf_index', '<=', through)
        .where('published_ms', '>=', fromMs)
        .orderBy('leaf_index', 'desc')
        .limit(max)
        .execute();
      const oldest = newest.at(-1);
      return oldest ? Number(oldest.leaf_index) : undefined;
    },
    async *events(
      source: string,
      after: number,
      through: number,
    ): AsyncIterable<{ leaf: number; raw: string }> {
      for (let from = after; ;) {
        const rows = await db
          .selectFrom('events')
          .select(['leaf_index', 'raw'])
          .where('source', '=', source)
          .where('leaf_index', '>', from)
          .where('leaf_index', '<=', through)
          .orderBy('leaf_index')
          .limit(PAGE)
          .execute();
        for (const r of rows) yield { leaf: Number(r.leaf_index), raw: r.raw };
        if (rows.length < PAGE) return;
        from = Number(rows.at(-1)!.leaf_index);
      }
    },
  };
}
