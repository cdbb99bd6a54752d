import { expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { CustodyStore } from '../../src/custody/custody-store.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { generateSigner } from '../../src/ledger/note-key.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import type { Store } from '../../src/store/store.js';
import { oktaEvent } from '../support/okta-events.js';

/**
 * The store port's contract: what custody, detection and alerts rely on, whatever the dialect. Each
 * dialect's test file runs every case against a real database of that dialect (SQLite now,
 * PostgreSQL when its folder lands) — no mocks. `open` gives a fresh, empty, migrated store.
 */
export function storeContract(open: () => Promise<Store>): void {
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  const page = (n: number, from = 0) =>
    `[${Array.from({ length: n }, (_, i) =>
      JSON.stringify(
        oktaEvent({
          uuid: `e-${from + i}`,
          published: new Date(Date.UTC(2026, 2, 10, 0, 0, from + i)).toISOString(),
        }),
      ),
    ).join(',')}]`;
  const custody = (store: Store) => {
    const signer = generateSigner('vigil.local/okta');
    return new CustodyStore(store, clock, () => signer);
  };
  const withStore = async (use: (store: Store) => Promise<void>) => {
    const store = await open();
    try {
      await use(store);
    } finally {
      await store.close();
    }
  };

  it('migrates to the one schema: every table custody, detection and alerts use is there', () =>
    withStore(async (store) => {
      for (const table of [
        'events',
        'cursors',
        'ledger_leaves',
        'ledger_nodes',
        'checkpoints',
        'quarantine',
        'detection_cursors',
        'alerts',
        'alert_transitions',
      ] as const)
        expect(await store.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
    }));

  it('ingest stores rows, leaves, nodes and the cursor together, and skips events already stored', () =>
    withStore(async (store) => {
      const c = custody(store);
      const first = await c.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', page(5)), {
        nextUrl: 'n1',
        highWaterMs: 10,
      });
      expect(first.stored).toHaveLength(5);
      const again = await c.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', page(7)), {
        nextUrl: 'n2',
        highWaterMs: 20,
      });
      expect(again).toMatchObject({ duplicates: 5, treeSize: 7 });
      const rows = await store.db
        .selectFrom('events')
        .select(['provider_id', 'leaf_index'])
        .orderBy('leaf_index')
        .execute();
      expect(rows.map((r) => [r.provider_id, Number(r.leaf_index)])).toEqual(
        Array.from({ length: 7 }, (_, i) => [`e-${i}`, i]),
      );
      expect(await c.treeSize('okta')).toBe(7);
      expect((await c.cursor('okta'))?.next_url).toBe('n2');
    }));

  it("the cursor's high-water mark only ever grows (neutral SQL for the larger of two values)", () =>
    withStore(async (store) => {
      const c = custody(store);
      await c.ingest('okta', [], { nextUrl: 'a', highWaterMs: 50 });
      await c.ingest('okta', [], { nextUrl: 'b', highWaterMs: 20 });
      expect(Number((await c.cursor('okta'))?.high_water_ms)).toBe(50);
      await c.ingest('okta', [], { nextUrl: 'c', highWaterMs: 90 });
      expect(Number((await c.cursor('okta'))?.high_water_ms)).toBe(90);
    }));

  it('a failed transaction leaves nothing behind', () =>
    withStore(async (store) => {
      await expect(
        store.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('cursors')
            .values({ source: 'okta', next_url: 'x', updated_at_ms: 1, high_water_ms: null })
            .execute();
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store.db.selectFrom('cursors').selectAll().execute()).toEqual([]);
    }));

  it("the dialect's textBytes returns a text column's exact UTF-8 bytes", () =>
    withStore(async (store) => {
      const c = custody(store);
      await c.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', page(1)), {
        nextUrl: 'n',
        highWaterMs: 1,
      });
      const row = await store.db
        .selectFrom('events')
        .select(['raw', store.dialect.textBytes('raw').as('bytes')])
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.bytes).equals(Buffer.from(row.raw, 'utf8'))).toBe(true);
    }));

  it('an id column the dialect adds counts up from 1', () =>
    withStore(async (store) => {
      const c = custody(store);
      await c.quarantine('okta', 'u', 'SOURCE_BAD_PAGE', 'm', 'b');
      await c.quarantine('okta', 'u', 'SOURCE_BAD_PAGE', 'm', 'b');
      const ids = await store.db.selectFrom('quarantine').select('id').orderBy('id').execute();
      expect(ids.map((r) => Number(r.id))).toEqual([1, 2]);
    }));
}
