import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

describe('vigil sim', () => {
  it('prints its base URL and token, writes the ground truth, and serves until stopped', async () => {
    const dir = tempDir('vigil-sim-');
    const truth = path.join(dir, 'truth.jsonl');
    let served: number | undefined;
    const result = await runVigil(
      [
        'sim',
        '--port',
        '0',
        '--users',
        '10',
        '--days',
        '1',
        '--seed',
        '5',
        '--token',
        't0k',
        '--truth',
        truth,
      ],
      {
        onStdout: (all, abort) => {
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/logs/.exec(all);
          if (m && all.includes('serving until stopped')) {
            void fetch(`${m[1]}/api/v1/logs?limit=1`, { headers: { authorization: 'SSWS t0k' } }).then(
              (res) => {
                served = res.status;
                abort();
              },
            );
          }
        },
      },
    );
    expect(result.code).toBe(0);
    expect(served).toBe(200);
    expect(result.stdout).toContain('API token: t0k');
    const lines = readFileSync(truth, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(JSON.parse(lines[0]!)).toHaveProperty('uuid');
  });

  it('keeps --truth complete while live traffic goes on: rewritten on SIGUSR1 and when stopped', async () => {
    const dir = tempDir('vigil-sim-');
    const truth = path.join(dir, 'truth.jsonl');
    const clock = new ManualClock('2026-03-10T12:00:00Z');
    const idsIn = () =>
      new Set(
        readFileSync(truth, 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { uuid: string }).uuid),
      );
    const served: string[] = [];
    let atStart = 0;
    let afterSignal = new Set<string>();
    let started = false;
    /** Serves everything published so far through polling, as a collector would read it. */
    const readAll = async (base: string) => {
      let url = `${base}/api/v1/logs?since=2026-03-09T00:00:00Z&limit=1000`;
      for (;;) {
        const res = await fetch(url, { headers: { authorization: 'SSWS t0k' } });
        const page = (await res.json()) as { uuid: string }[];
        served.push(...page.map((e) => e.uuid));
        if (page.length === 0) return;
        url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')![1]!;
      }
    };
    const result = await runVigil(
      [
        'sim',
        '--port',
        '0',
        '--users',
        '10',
        '--days',
        '1',
        '--seed',
        '5',
        '--token',
        't0k',
        '--truth',
        truth,
      ],
      {
        clock,
        onStdout: (all, abort) => {
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/logs/.exec(all);
          if (!m || !all.includes('serving until stopped') || started) return;
          started = true;
          atStart = idsIn().size;
          void (async () => {
            // Half a day of live traffic, served, then the signal.
            clock.advance(12 * 3_600_000);
            await readAll(m[1]!);
            process.emit('SIGUSR1');
            afterSignal = idsIn();
            // Another half day, served, then stopped.
            clock.advance(12 * 3_600_000);
            await readAll(m[1]!);
            abort();
          })();
        },
      },
    );
    expect(result.code).toBe(0);
    expect(afterSignal.size).toBeGreaterThan(atStart);
    const final = idsIn();
    expect(final.size).toBeGreaterThan(afterSignal.size);
    expect(served.filter((id) => !final.has(id))).toEqual([]);
  });

  it('refuses a bad flag value with exit 2 and names the flag', async () => {
    const result = await runVigil(['sim', '--users', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--users');
  });
});
