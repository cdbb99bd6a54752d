import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { runVigil } from '../../cli/cli-harness.js';
import { tempDir } from '../../support/temp-dir.js';

describe('vigil user', () => {
  it('adds, lists, disables and resets users, makes and revokes API tokens, and audits each change', async () => {
    const dataDir = tempDir('vigil-user-cli-');
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const vigil = (...args: string[]) =>
      runVigil(['--data', dataDir, ...args], { clock, env: { USER: 'ops' } });

    const added = await vigil(
      'user',
      'add',
      'alice',
      '--role',
      'analyst',
      '--url',
      'https://vigil.example:8443/',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added alice \(analyst\)\n/);
    expect(added.stdout).toMatch(/\nhttps:\/\/vigil\.example:8443\/enrol\/ve_[A-Za-z0-9_-]{43}\n$/);
    expect(added.stdout).toContain('until 2026-12-02T09:00:00.000Z');

    const dup = await vigil('user', 'add', 'alice', '--role', 'viewer');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('USER_EXISTS');
    const badRole = await vigil('user', 'add', 'bob', '--role', 'root');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('USER_INPUT_INVALID');
    const email = await vigil('user', 'add', 'bob@example.com', '--role', 'viewer');
    expect(email.code).toBe(2);
    expect((await vigil('user', 'add', 'bob', '--role', 'viewer', '--url', 'javascript:alert(1)')).code).toBe(
      2,
    );

    const token = await vigil('user', 'token', 'add', 'alice', '--role', 'viewer', '--label', 'dashboards');
    expect(token.code).toBe(0);
    const [secret, idLine] = token.stdout.trim().split('\n');
    expect(secret).toMatch(/^vigil_at_/);
    const id = idLine!.replace(/^id /, '');
    expect((await vigil('user', 'token', 'add', 'alice', '--role', 'admin', '--label', 'x')).code).toBe(2);

    const listed = await vigil('user', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        name: 'alice',
        role: 'analyst',
        disabled: false,
        passkeys: 0,
        totp: false,
        enrolmentPending: true,
      }),
    ]);
    const tokens = await vigil('user', 'token', 'list', '--json');
    expect(JSON.parse(tokens.stdout)).toEqual([
      expect.objectContaining({ id, user: 'alice', role: 'viewer', label: 'dashboards', revoked: null }),
    ]);
    expect(tokens.stdout).not.toContain(secret);
    expect((await vigil('user', 'list')).stdout).toMatch(/alice\s+analyst\s+enrolling/);

    expect((await vigil('user', 'disable', 'alice')).stdout).toBe('disabled alice\n');
    expect((await vigil('user', 'disable', 'nobody')).code).toBe(2);
    const reset = await vigil('user', 'reset', 'alice');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/\nhttp:\/\/127\.0\.0\.1:8443\/enrol\/ve_/);
    // The reset revoked the token.
    expect(JSON.parse((await vigil('user', 'token', 'list', '--json')).stdout)[0].revoked).not.toBeNull();
    expect((await vigil('user', 'token', 'revoke', 'no-such-id')).code).toBe(2);

    const runtime = await Runtime.open({ dataDir, access: 'read', env: {}, clock });
    try {
      const actions = (await runtime.auditLog().list()).reverse().map((r) => [r.actor, r.action, r.target]);
      expect(actions).toEqual([
        ['cli:ops', 'user.add', 'alice'],
        ['cli:ops', 'user.token-add', 'alice'],
        ['cli:ops', 'user.disable', 'alice'],
        ['cli:ops', 'user.reset', 'alice'],
      ]);
    } finally {
      await runtime.close();
    }
    const verify = await vigil('verify');
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('only reads for list: a data directory without a store stays empty', async () => {
    const dataDir = tempDir('vigil-user-cli-empty-');
    const listed = await runVigil(['--data', dataDir, 'user', 'list']);
    expect(listed.code).toBe(2);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
