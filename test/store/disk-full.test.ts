import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { expectCode } from '../support/expect-code.js';
import { oktaEvent } from '../support/okta-events.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const clock = new ManualClock('2026-03-10T12:00:00Z');
const page = (n: number) =>
  preparePage(OKTA_PAGE_FORMAT, 'okta', JSON.stringify(Array.from({ length: n }, () => oktaEvent())));

/**
 * A full disk, reached through SQLite's own page limit (max_page_count): the write that does not
 * fit fails as on a full disk (SQLITE_FULL). It must be one clear error naming the store, never a
 * stack or Kysely's "cannot rollback - no transaction is active", and the store must stay intact.
 */
describe('disk full', () => {
  it('is one clear STORE_DISK_FULL naming the store; what was stored stays and collection resumes', async () => {
    const dir = tempDir('vigil-disk-full-');
    const file = path.join(dir, STORE_FILE);
    const first = await openTestCustody(dir, clock);
    await first.custody.ingest('okta', page(5), { nextUrl: 'p1', highWaterMs: null });
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(first.db);
    await first.close();

    const full = await openTestCustody(dir, clock, { maxPageCount: rows[0]!.page_count + 2 });
    let stored = 5;
    const fill = async () => {
      for (let i = 0; i < 100; i++) {
        await full.custody.ingest('okta', page(20), { nextUrl: `p${i + 2}`, highWaterMs: null });
        stored += 20;
      }
    };
    const err = await expectCode(fill(), 'STORE_DISK_FULL');
    expect(err.message).toMatch(new RegExp(`^disk full at ${file}`));
    expect(err.category).toBe('external');
    await full.close();

    // Intact: every committed page is there, the failed one is not, and ingest goes on.
    const again = await openTestCustody(dir, clock);
    const count = async () =>
      Number(
        (
          await again.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(stored);
    expect(await again.custody.treeSize('okta')).toBe(stored);
    await again.custody.ingest('okta', page(20), { nextUrl: 'after', highWaterMs: null });
    expect(await count()).toBe(stored + 20);
    await again.close();
  });
});
