import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteWriteFloor } from '../../src/bench/sqlite-floor.js';
import { ManualClock } from '../../src/core/clock.js';
import { CustodyStore } from '../../src/custody/custody-store.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { fileSignerProvider } from '../../src/keys/key-providers.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { tempDir } from '../support/temp-dir.js';

const END = '2026-03-10T12:00:00.000Z';

describe('SQLite write floor (benchmark)', () => {
  it('copies exactly the rows ingest wrote: events, leaves and tree nodes', async () => {
    const filled = tempDir('vigil-floor-src-');
    const store = await openSqliteStore({ dataDir: filled, access: 'write' });
    const custody = new CustodyStore(store, new ManualClock(END), fileSignerProvider(filled));
    const lines = generateOrgHistory({ seed: 5, users: 20, days: 2, endMs: Date.parse(END) }).map((e) =>
      JSON.stringify(e),
    );
    for (let i = 0; i < lines.length; i += 70)
      await custody.ingest(
        'okta',
        preparePage(OKTA_PAGE_FORMAT, 'okta', '[' + lines.slice(i, i + 70).join(',') + ']'),
        { nextUrl: `file:${i}`, highWaterMs: null },
      );
    await store.close();

    const empty = path.join(tempDir('vigil-floor-dst-'), 'store');
    // Transactions of 64 events: the nodes each one completes must be found across their edges.
    expect(await sqliteWriteFloor(filled, empty, 64)).toBeGreaterThan(0);

    const dump = (dir: string) => {
      const db = new Database(path.join(dir, STORE_FILE), { readonly: true });
      const rows = {
        events: db
          .prepare(
            'select source, provider_id, leaf_index, raw, event_type, actor_id from events order by leaf_index',
          )
          .all(),
        leaves: db.prepare('select * from ledger_leaves order by leaf_index').all(),
        nodes: db.prepare('select * from ledger_nodes order by level, idx').all(),
      };
      db.close();
      return rows;
    };
    const [before, after] = [dump(filled), dump(empty)];
    expect(before.events.length).toBe(lines.length);
    expect(after).toEqual(before);
  });
});
