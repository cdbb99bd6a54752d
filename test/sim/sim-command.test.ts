import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('refuses a bad flag value with exit 2 and names the flag', async () => {
    const result = await runVigil(['sim', '--users', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--users');
  });
});
