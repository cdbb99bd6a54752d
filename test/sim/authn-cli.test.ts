import { describe, expect, it } from 'vitest';
import { runVigil } from '../cli/cli-harness.js';

describe('vigil sim --control', () => {
  it('serves canary users and the Classic Authentication API through the real command', async () => {
    let outcome: unknown;
    const result = await runVigil(
      ['sim', '--control', '--port', '0', '--users', '10', '--days', '1', '--seed', '4', '--token', 't0k'],
      {
        onStdout: (all, abort) => {
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/logs/.exec(all);
          if (!m || !all.includes('serving until stopped') || outcome !== undefined) return;
          outcome = 'pending';
          const base = m[1]!;
          const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
            (
              await fetch(`${base}${path}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...headers },
                body: JSON.stringify(body),
              })
            ).json() as Promise<Record<string, unknown>>;
          void (async () => {
            const user = await post(
              '/sim/users',
              { login: 'cli@canary.test' },
              { authorization: 'SSWS t0k' },
            );
            const signIn = await post('/api/v1/authn', {
              username: user['login'],
              password: user['password'],
            });
            outcome = signIn['status'];
            abort();
          })();
        },
      },
    );
    expect(result.code).toBe(0);
    expect(outcome).toBe('SUCCESS');
    expect(result.stdout).toContain('/sim/users');
  });
});
