import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { ManualClock } from '../../src/core/clock.js';
import { REWRITTEN_EVENT_RULE } from '../../src/alerts/rewritten-event-detection.js';
import type { RewrittenEvent } from '../../src/custody/custody-store.js';
import { runVigil } from '../cli/cli-harness.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';
import {
  hostileProvider,
  sendForever,
  sendPage,
  type ProviderScript,
} from '../support/hostile-provider-server.js';
import { oktaEvent } from '../support/okta-events.js';
import { collectorWorld, type HarnessCollectorOptions } from './collector-harness.js';

/**
 * A provider that is an attacker (issues 3 and 19): every case runs the real collector, the real
 * Okta adapter and a real SQLite store against a hostile HTTP server on loopback
 * (test/support/hostile-provider-server.ts), standing in for a compromised or spoofed provider,
 * which our simulator by design never is. Limits and timeouts are configured small so that each
 * case is cheap; waits run on the manual clock.
 */

const TOKEN = 'tok-SECRET-0123456789';
const SMALL = { maxBodyBytes: 64 * 1024, maxDecodedBytes: 256 * 1024, maxCompressionRatio: 100 };

/** A store, and a collector reading `script`'s provider with small limits. */
async function against(script: ProviderScript, options: HarnessCollectorOptions = {}) {
  const world = await collectorWorld({ users: 2, days: 1 });
  onTestFinished(world.close);
  const provider = await hostileProvider(script);
  const collector = world.collector({
    url: provider.url,
    token: TOKEN,
    bodyLimits: SMALL,
    maxAttempts: 1,
    pageLimit: 2,
    ...options,
  });
  const quarantined = () =>
    world.custody.db.selectFrom('quarantine').select(['error_code', 'message']).orderBy('id').execute();
  return { world, provider, collector, quarantined };
}

const event = (uuid: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...oktaEvent({ uuid }), ...extra });

/**
 * The next link Okta gives for this request: polling pages always link on (to themselves once caught
 * up), a bounded query's (with `until`, the overlap re-read) last page has none (okta-api.md §1.3).
 */
const selfLink = (req: IncomingMessage, base: string) =>
  req.url?.includes('until=') ? undefined : `${base}${req.url}`;

/** A caught-up page (shorter than the page limit). */
const caughtUp =
  (events: readonly string[]): ProviderScript =>
  (req, res, _n, base) =>
    sendPage(res, events, selfLink(req, base));

/** `gc()` without --expose-gc: V8 exposes it to contexts created after the flag is set. */
function forcedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('hostile provider: bodies', () => {
  it('stops reading an endless chunked body at the byte limit and quarantines the page naming it', async () => {
    const { collector, quarantined } = await against((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('[');
      sendForever(res, Buffer.alloc(16 * 1024, 0x20));
    });
    await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_BODY_TOO_LARGE');
    expect((await quarantined()).map((q) => q.error_code)).toEqual(['SOURCE_BODY_TOO_LARGE']);
    expect(collector.progress.stored).toBe(0);
  });

  it('stops inflating a gzip bomb at the decoded limit, and at the ratio limit', async () => {
    // 16 MiB of zeros, compressed as it streams: about 16 KiB on the wire.
    const bomb = await buffer(
      Readable.from(Array.from({ length: 256 }, () => Buffer.alloc(65_536))).pipe(createGzip()),
    );
    const serveBomb: ProviderScript = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-encoding', 'gzip');
      res.end(bomb);
    };
    const decoded = await against(serveBomb, { bodyLimits: { ...SMALL, maxCompressionRatio: 1_000_000 } });
    const tooBig = await expectCode(decoded.collector.collectUntilCaughtUp(), 'SOURCE_DECODED_TOO_LARGE');
    expect(tooBig.message).toContain('collect.maxDecodedBytes');

    const ratio = await against(serveBomb, { bodyLimits: { ...SMALL, maxDecodedBytes: 1024 ** 3 } });
    await expectCode(ratio.collector.collectUntilCaughtUp(), 'SOURCE_COMPRESSION_RATIO');
    expect((await ratio.quarantined()).map((q) => q.error_code)).toEqual(['SOURCE_COMPRESSION_RATIO']);
  });

  it('keeps a well-compressed page: gzip within the limits is read and stored verbatim', async () => {
    const raws = [event('gz-1'), event('gz-2')];
    const body = await buffer(Readable.from([`[${raws.join(',')}]`]).pipe(createGzip()));
    const { collector, world } = await against(
      (req, res, _n, base) => {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('content-encoding', 'gzip');
        const next = selfLink(req, base);
        if (next) res.setHeader('link', `<${next}>; rel="next"`);
        res.end(body);
      },
      { pageLimit: 5 },
    );
    await collector.collectUntilCaughtUp();
    const stored = await world.custody.db.selectFrom('events').select('raw').orderBy('leaf_index').execute();
    expect(stored.map((r) => r.raw)).toEqual(raws);
  });
});

describe('hostile provider: time', () => {
  it('times out a trickled body even when garbage collection runs during the request', async () => {
    const gc = forcedGc();
    const { collector } = await against(
      (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.write('[');
        const drip = setInterval(() => {
          gc();
          if (res.destroyed) clearInterval(drip);
          else res.write(' ');
        }, 5);
        res.on('close', () => clearInterval(drip));
      },
      { requestTimeoutMs: 300 },
    );
    const error = await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_RETRIES_EXHAUSTED');
    expect(error.details['cause']).toBe('SOURCE_TIMEOUT');
  });

  it('times out a server that accepts the request and never answers', async () => {
    const gc = forcedGc();
    const { collector } = await against(
      (_req, res) => {
        const collect = setInterval(gc, 5);
        res.on('close', () => clearInterval(collect));
      },
      { requestTimeoutMs: 300 },
    );
    const error = await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_RETRIES_EXHAUSTED');
    expect(error.details['cause']).toBe('SOURCE_TIMEOUT');
  });

  it('ends the run at once when a 429 asks to wait an hour, instead of sleeping it', async () => {
    const { collector, world } = await against((_req, res) => {
      res.writeHead(429, {
        'x-rate-limit-limit': '50',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.floor(world.clock.now() / 1000) + 3600),
      });
      res.end('{"errorCode":"E0000047"}');
    });
    const before = world.clock.now();
    const error = await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_WAIT_TOO_LONG');
    expect(error.message).toContain('collect.maxWaitSeconds');
    expect(world.clock.now()).toBe(before);
  });

  it('ends the run when X-Rate-Limit-Remaining 0 announces a reset an hour away', async () => {
    const { collector, world } = await against(
      (req, res, _n, base) => {
        res.setHeader('x-rate-limit-limit', '50');
        res.setHeader('x-rate-limit-remaining', '0');
        res.setHeader('x-rate-limit-reset', String(Math.floor(world.clock.now() / 1000) + 3600));
        sendPage(
          res,
          [event(`full-${req.url}-1`), event(`full-${req.url}-2`)],
          `${base}/api/v1/logs?after=${req.url!.length}`,
        );
      },
      { maxAttempts: 3 },
    );
    const before = world.clock.now();
    await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_WAIT_TOO_LONG');
    expect(world.clock.now()).toBe(before);
    expect(collector.progress.stored).toBe(2);
  });

  it('backs off within the wait cap when a 429 has no reset, or a negative one', async () => {
    for (const reset of [undefined, '-5']) {
      const { collector, world, provider } = await against(
        (_req, res) => {
          res.writeHead(429, reset === undefined ? {} : { 'x-rate-limit-reset': reset });
          res.end();
        },
        { maxAttempts: 10, maxWaitMs: 30_000 },
      );
      const before = world.clock.now();
      await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_WAIT_TOO_LONG');
      expect(world.clock.now() - before).toBeLessThanOrEqual(30_000);
      expect(provider.requests.length).toBeGreaterThan(1);
    }
  });

  it('ends the run with CUSTODY_NO_PROGRESS when a full page links to itself', async () => {
    const { collector, provider } = await against((req, res, _n, base) =>
      sendPage(res, [event('loop-1'), event('loop-2')], `${base}${req.url}`),
    );
    await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_NO_PROGRESS');
    expect(provider.requests).toHaveLength(1);
    expect(collector.progress.stored).toBe(2);
  });
});

describe('hostile provider: history and content', () => {
  it('keeps a re-served event whose bytes changed as a finding with both digests; the stored copy stays', async () => {
    const original = event('rw-1');
    const rewritten = event('rw-1', { displayMessage: 'nothing to see here' });
    let serving = original;
    const { world, provider } = await against((req, res, _n, base) =>
      sendPage(res, [serving], selfLink(req, base)),
    );
    const found: RewrittenEvent[] = [];
    const run = () =>
      world
        .collector({
          url: provider.url,
          token: TOKEN,
          pageLimit: 5,
          onRewritten: (f) => void found.push(...f),
        })
        .collectUntilCaughtUp();
    await run();
    serving = rewritten;
    const second = await run();
    // Served again on the next poll: the same version is one finding, not a new one each time.
    const third = await run();

    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect([second.rewritten, third.rewritten]).toEqual([1, 0]);
    expect(found).toEqual([
      { source: 'okta', providerId: 'rw-1', storedSha256: sha(original), newSha256: sha(rewritten) },
    ]);
    const kept = await world.custody.db.selectFrom('rewritten_events').selectAll().execute();
    expect(kept.map((k) => [k.provider_id, k.stored_sha256, k.new_sha256, k.new_raw])).toEqual([
      ['rw-1', sha(original), sha(rewritten), rewritten],
    ]);
    const stored = await world.custody.db
      .selectFrom('events')
      .select('raw')
      .where('provider_id', '=', 'rw-1')
      .execute();
    expect(stored.map((r) => r.raw)).toEqual([original]);
  });

  it('quarantines ambiguous JSON: a duplicate key, a number beyond a double (1e400)', async () => {
    const duplicate = event('dup-1').replace(
      '"uuid":"dup-1"',
      '"uuid":"dup-1","eventType":"user.session.start"',
    );
    const huge = event('big-1').replace('"version":"0"', '"version":"0","n":1e400');
    for (const raw of [duplicate, huge]) {
      const { collector, quarantined } = await against(caughtUp([raw]));
      await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_AMBIGUOUS_JSON', raw.slice(0, 60));
      expect((await quarantined()).map((q) => q.error_code)).toEqual(['SOURCE_AMBIGUOUS_JSON']);
      expect(collector.progress.stored).toBe(0);
    }
  });

  it('refuses a body that is not valid UTF-8 rather than storing U+FFFD for the provider’s bytes', async () => {
    const raw = Buffer.from(event('utf-1').replace('"version":"0"', '"version":"0","x":"AB"'));
    raw[raw.indexOf('AB')] = 0xff;
    const { collector, quarantined } = await against((req, res, _n, base) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('link', `<${base}${req.url}>; rel="next"`);
      res.end(Buffer.concat([Buffer.from('['), raw, Buffer.from(']')]));
    });
    await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_BAD_ENCODING');
    expect((await quarantined()).map((q) => q.error_code)).toEqual(['SOURCE_BAD_ENCODING']);
  });

  it('stores an event published in year 9999 but flags it and never lets it move the high-water mark', async () => {
    const { collector, world, quarantined } = await against(
      caughtUp([
        event('now-1', { published: '2026-03-10T11:00:00.000Z' }),
        event('far-1', { published: '9999-01-01T00:00:00.000Z' }),
      ]),
      { pageLimit: 5 },
    );
    const progress = await collector.collectUntilCaughtUp();
    expect([progress.stored, progress.future]).toEqual([2, 1]);
    const cursor = await world.custody.store.cursor('okta');
    expect(Number(cursor!.high_water_ms)).toBe(Date.parse('2026-03-10T11:00:00.000Z'));
    expect((await quarantined()).map((q) => q.error_code)).toEqual(['CUSTODY_FUTURE_EVENT']);
  });

  it('refuses a published time that is not RFC 3339', async () => {
    for (const published of ['1', 'Tue, 10 Mar 2026 11:00:00 GMT', '2026-02-31T00:00:00Z']) {
      const { collector } = await against(caughtUp([event('t-1', { published })]));
      await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_BAD_PAGE', published);
    }
  });
});

describe('hostile provider: where the token goes', () => {
  it('refuses a redirect with SOURCE_REDIRECT and never follows it', async () => {
    const elsewhere = await hostileProvider((_req, res) => sendPage(res, []));
    const { collector, provider } = await against((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/api/v1/logs` });
      res.end();
    });
    await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_REDIRECT');
    expect(provider.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a page whose content type is not JSON', async () => {
    const { collector } = await against((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('[]');
    });
    await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_NOT_JSON');
  });

  it('checks a stored cursor like a link before sending anything: a tampered next_url reaches no one', async () => {
    const elsewhere = await hostileProvider((_req, res) => sendPage(res, []));
    const { collector, provider, world } = await against(caughtUp([]));
    await world.custody.db
      .insertInto('cursors')
      .values({
        source: 'okta',
        next_url: `${elsewhere.url}/api/v1/logs?after=1_1`,
        updated_at_ms: 0,
        high_water_ms: null,
      })
      .execute();
    await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_FOREIGN_LINK');
    expect(elsewhere.requests).toHaveLength(0);
    expect(provider.requests).toHaveLength(0);
  });

  it('refuses a next link to another host (SSRF guard) and keeps what was stored', async () => {
    const { collector, world } = await against((_req, res) =>
      sendPage(res, [event('evil-1'), event('evil-2')], 'http://169.254.169.254/latest/meta-data'),
    );
    const error = await expectCode(collector.collectUntilCaughtUp(), 'SOURCE_FOREIGN_LINK');
    expect(error.message).toContain('source okta');
    expect(await world.storedIds()).toEqual([]);
  });

  it('prints a refusal’s body shortened and with the token redacted', async () => {
    const { collector } = await against((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        `{"errorSummary":"Invalid token provided: ${req.headers.authorization}\u001b[31m","pad":"${'x'.repeat(5000)}"}`,
      );
    });
    const error = await expectCode(collector.collectUntilCaughtUp(), 'CUSTODY_PROVIDER_ERROR');
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('\u001b');
    expect(error.message.length).toBeLessThan(600);
  });

  it('names the source and page when the provider refuses the token', async () => {
    const world = await collectorWorld();
    onTestFinished(world.close);
    const error = await expectCode(
      world.collector({ token: 'wrong' }).collectUntilCaughtUp(),
      'CUSTODY_PROVIDER_ERROR',
    );
    expect(error.message).toMatch(/source okta, page http:\/\/127\.0\.0\.1:\d+\/api\/v1\/logs.*HTTP 401/);
  });
});

describe('hostile provider: through vigil collect', () => {
  /** A data directory whose sources are `urls` (token in $OKTA_TOKEN), and `vigil` run in-process. */
  function dataDir(urls: Record<string, string>) {
    const dir = tempDir('vigil-hostile-');
    const sources = Object.entries(urls).map(([name, url]) => ({
      name,
      type: 'okta',
      url,
      tokenEnv: 'OKTA_TOKEN',
    }));
    writeFileSync(path.join(dir, 'vigil.yaml'), stringify({ sources, collect: { pageLimit: 5 } }), {
      mode: 0o600,
    });
    const clock = new ManualClock('2026-03-10T12:00:00Z');
    return (...args: string[]) => runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: TOKEN } });
  }

  it('collects sources side by side: one that stalls does not hold back the next', async () => {
    let releaseStalled = () => undefined as void;
    const released = new Promise<void>((resolve) => (releaseStalled = resolve));
    // Listed first, and answers only once the other source has read its last (bounded) page: were
    // sources collected one after another, this would never return.
    const stalled = await hostileProvider((req, res, _n, base) => {
      void released.then(() => sendPage(res, [], selfLink(req, base)));
    });
    const healthy = await hostileProvider((req, res, _n, base) => {
      sendPage(res, [event('ok-1')], selfLink(req, base));
      if (req.url?.includes('until=')) releaseStalled();
    });
    const vigil = dataDir({ first: stalled.url, second: healthy.url });
    const run = await vigil('collect', '--once', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { sources: { source: string; stored: number }[] };
    expect(summary.sources.map((s) => [s.source, s.stored])).toEqual([
      ['first', 0],
      ['second', 1],
    ]);
  });

  it('follows each source in its own loop: a stalled source never delays the next polls of another', async () => {
    let releaseStalled = () => undefined as void;
    const released = new Promise<void>((resolve) => (releaseStalled = resolve));
    let healthyRounds = 0;
    // Answers only after the healthy source has finished three rounds of polling: with one loop for
    // every source, its second round could not start before this one answers.
    const stalled = await hostileProvider((req, res, _n, base) => {
      if (!req.url?.startsWith('/api/v1/logs')) return void res.writeHead(404).end();
      void released.then(() => sendPage(res, [], selfLink(req, base)));
    });
    const healthy = await hostileProvider((req, res, _n, base) => {
      if (!req.url?.startsWith('/api/v1/logs')) return void res.writeHead(404).end();
      sendPage(res, [event('ok-1')], selfLink(req, base));
    });
    const dir = tempDir('vigil-hostile-');
    const sources = [
      { name: 'first', type: 'okta', url: stalled.url, tokenEnv: 'OKTA_TOKEN' },
      { name: 'second', type: 'okta', url: healthy.url, tokenEnv: 'OKTA_TOKEN' },
    ];
    writeFileSync(
      path.join(dir, 'vigil.yaml'),
      stringify({ sources, posture: { snapshotIntervalMinutes: 0 } }),
      {
        mode: 0o600,
      },
    );
    const lines: string[] = [];
    const run = await runVigil(['--data', dir, 'collect', '--poll-interval', '5'], {
      clock: new ManualClock('2026-03-10T12:00:00Z'),
      env: { OKTA_TOKEN: TOKEN },
      onStdout: (all, stop) => {
        lines.splice(0, lines.length, ...all.split('\n').filter(Boolean));
        healthyRounds = lines.filter((l) => l.includes(' second:')).length;
        if (healthyRounds >= 3) releaseStalled();
        if (lines.some((l) => l.includes(' first:'))) stop();
      },
    });
    expect(run.code, run.stderr).toBe(0);
    const firstAt = lines.findIndex((l) => l.includes(' first:'));
    expect(firstAt, lines.join('\n')).toBeGreaterThanOrEqual(3);
    expect(lines.slice(0, firstAt).every((l) => l.includes(' second:'))).toBe(true);
  });

  it('raises a critical alert when the provider rewrites a stored event', async () => {
    let serving = event('rw-cli');
    const provider = await hostileProvider((req, res, _n, base) =>
      sendPage(res, [serving], selfLink(req, base)),
    );
    const vigil = dataDir({ okta: provider.url });
    expect((await vigil('collect', '--once')).code).toBe(0);
    serving = event('rw-cli', { displayMessage: 'rewritten' });
    const run = await vigil('collect', '--once', '--json');
    expect(run.stderr).toContain('CUSTODY_REWRITTEN_EVENT');
    expect((JSON.parse(run.stdout) as { sources: { rewritten: number }[] }).sources[0]!.rewritten).toBe(1);
    const alerts = JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[];
    expect(alerts.map((a) => [a.rule.id, a.severity, a.entity.id])).toEqual([
      [REWRITTEN_EVENT_RULE, 'critical', 'rw-cli'],
    ]);
    const listed = JSON.parse((await vigil('events', '--rewritten', '--json')).stdout) as {
      provider_id: string;
      new_raw: string;
    }[];
    expect(listed.map((r) => [r.provider_id, r.new_raw])).toEqual([['rw-cli', serving]]);
    const table = await vigil('events', '--rewritten');
    expect(table.stdout).toContain('rw-cli');
    expect(table.stdout).toContain('1 rewritten event version(s)');
  });
});
