import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCode } from '../support/expect-code.js';
import { collectorWorld } from './collector-harness.js';

/**
 * A provider that lies (issue 3 "Bad input"): a `next` link to another host must not be followed, and
 * nothing already stored may change. The hostile server is a real HTTP server on loopback standing in
 * for a compromised or spoofed provider, which our simulator by design never is.
 */
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

describe('hostile provider input', () => {
  it('refuses a next link to another host (SSRF guard) and keeps what was stored', async () => {
    const world = await collectorWorld();
    cleanup.push(world.close);
    await world.collector().collectUntilCaughtUp();
    const before = (await world.storedIds()).sort();

    const evil = http.createServer((req, res) => {
      res.setHeader('link', ['<http://169.254.169.254/latest/meta-data>; rel="next"']);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify([
          { uuid: 'evil-1', published: '2026-03-10T11:00:00Z', eventType: 'user.session.start' },
        ]),
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => evil.close(() => resolve())));
    const url = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    const collector = world.collector({ url });
    await world.custody.db
      .updateTable('cursors')
      .set({ next_url: `${url}/api/v1/logs?after=1_1` })
      .execute();

    const error = await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_FOREIGN_LINK');
    expect(error.message).toContain('source okta');
    expect((await world.storedIds()).sort()).toEqual(before);
  });

  it('names the source and page when the provider refuses the token', async () => {
    const world = await collectorWorld();
    cleanup.push(world.close);
    const error = await expectCode(
      world.collector({ token: 'wrong' }).collectUntilCaughtUp(),
      'CUSTODY_PROVIDER_ERROR',
    );
    expect(error.message).toMatch(/source okta, page http:\/\/127\.0\.0\.1:\d+\/api\/v1\/logs.*HTTP 401/);
  });
});
