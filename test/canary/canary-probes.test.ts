import { describe, expect, it } from 'vitest';
import { canaryWorld, DENIED, MFA, OFF } from './canary-world.js';

interface PasswordPolicy {
  id: string;
  settings: { password: { lockout: { maxAttempts: number } } };
}

describe('vigil canary run against the simulator', () => {
  it('passes every probe on an enforcing provider, ledgers each result, and leaves no canary locked', async () => {
    const w = await canaryWorld();
    const { code, probes, stderr } = await w.run();
    expect(code, stderr).toBe(0);
    expect(probes.map((p) => [p.canary, p.probe, p.status])).toEqual([
      [MFA, 'wrong-password', 'pass'],
      [MFA, 'mfa-required', 'pass'],
      [MFA, 'lockout', 'pass'],
      [OFF, 'deactivated-refused', 'pass'],
      [DENIED, 'group-denied', 'pass'],
    ]);
    for (const p of probes) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['canary', 'probe', 'expected', 'observed', 'status', 'logCheck']),
      );
      expect(p.logCheck).toBe('pending');
    }
    expect(probes.find((p) => p.probe === 'mfa-required')!.observed).toBe(
      'MFA_REQUIRED, a wrong TOTP refused (403 E0000068), then SUCCESS after a correct TOTP',
    );
    expect(probes.find((p) => p.probe === 'lockout')!.observed).toMatch(
      /after 10 failures: 401 E0000004, then unlocked$/,
    );
    expect(await w.userStatus(MFA)).toBe('ACTIVE');
    const proof = await w.vigil(
      'ledger',
      'prove',
      '--source',
      'okta/canary-results',
      '--record',
      probes[2]!.recordId,
    );
    expect(proof.code, proof.stderr).toBe(0);
    // The next collection reads the probes' events: every log check is judged and passes.
    const collected = await w.collect();
    expect(collected.code, collected.stderr).toBe(0);
    expect(collected.json.canaries).toEqual([
      { source: 'okta', probes: [], logChecked: 5, logMissing: 0, foreign: 0 },
    ]);
    const verified = await w.vigil('verify', '--json');
    expect(verified.code, verified.stdout).toBe(0);
  });

  it.each([
    ['skip-mfa', MFA, 'mfa-required', /^SUCCESS$/],
    ['skip-lockout', MFA, 'lockout', /after 10 failures: MFA_REQUIRED$/],
    ['allow-deactivated', OFF, 'deactivated-refused', /^SUCCESS$/],
    ['ignore-zones', DENIED, 'group-denied', /^SUCCESS$/],
  ])('fails under enforcement mode %s, and exits 1', async (mode, login, probe, observed) => {
    const w = await canaryWorld();
    expect((await w.enforce(mode, [login])).status).toBe(200);
    // The configuration APIs still show the policy intact: only a sign-in shows the difference.
    const { code, probes } = await w.run();
    expect(code).toBe(1);
    const failed = probes.filter((p) => p.status !== 'pass');
    expect(failed.map((p) => [p.canary, p.probe, p.status])).toEqual([[login, probe, 'fail']]);
    expect(failed[0]!.observed).toMatch(observed);
    expect(await w.userStatus(MFA)).toBe('ACTIVE');
    // The log holds what the provider did: the failure is the probe's, not the log's.
    const collected = await w.collect();
    expect(collected.json.canaries![0]).toMatchObject({ logChecked: 5, logMissing: 0, foreign: 0 });
    const alerts = await w.alerts();
    expect(alerts.map((a) => [a.rule.id, a.severity])).toEqual([['vigil-canary-probe-failed', 'critical']]);
  });

  it('counts the lockout the password policy has now, not an older snapshot', async () => {
    const w = await canaryWorld();
    // The world's first collect took a configuration snapshot: it says 10.
    expect((await w.vigil('posture', 'history', '--json')).stdout).toContain('"objects"');
    const policy = ((await w.call('GET', '/api/v1/policies?type=PASSWORD')).body as PasswordPolicy[])[0]!;
    policy.settings.password.lockout.maxAttempts = 4;
    expect((await w.call('PUT', `/api/v1/policies/${policy.id}`, policy)).status).toBe(200);
    const { probes } = await w.run();
    expect(probes.find((p) => p.probe === 'lockout')!.observed).toMatch(
      /after 4 failures: 401 E0000004, then unlocked$/,
    );
    expect(await w.userStatus(MFA)).toBe('ACTIVE');
  });

  it('unlocks a canary a stopped run left locked before probing it', async () => {
    const w = await canaryWorld();
    // A run stopped after its ten failures and before its unlock.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${w.sim.baseUrl}/api/v1/authn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'vigil-canary/1' },
        body: JSON.stringify({ username: MFA, password: 'wrong' }),
      });
      expect(res.status).toBe(401);
      w.clock.advance(1000);
    }
    expect(await w.userStatus(MFA)).toBe('LOCKED_OUT');
    const { code, probes } = await w.run();
    expect(code).toBe(0);
    expect(probes.every((p) => p.status === 'pass')).toBe(true);
    expect(await w.userStatus(MFA)).toBe('ACTIVE');
  });

  it('prints one line per probe without --json', async () => {
    const w = await canaryWorld();
    expect((await w.enforce('skip-mfa', [MFA])).status).toBe(200);
    const { code, stdout } = await w.vigil('canary', 'run');
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^FAIL canary-mfa@example\.com mfa-required: expected MFA_REQUIRED, a wrong TOTP refused, then SUCCESS after a correct TOTP; observed SUCCESS \(record \S+; log check pending\)$/m,
    );
    expect(stdout.match(/^PASS /gm)).toHaveLength(4);
    expect(stdout).toMatch(/^5 probes, 1 not passed$/m);
  });

  it('never writes a canary secret to the config, the store or the output', async () => {
    const w = await canaryWorld();
    const run = await w.run();
    const collected = await w.collect();
    const check = await w.check();
    const { readdirSync, readFileSync } = await import('node:fs');
    const stored = readdirSync(w.dir)
      .filter((f) => !f.endsWith('.password'))
      .map((f) => {
        try {
          return readFileSync(`${w.dir}/${f}`).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('\n');
    expect(stored).toContain('canary-results'); // the store was read, not an empty directory
    for (const secret of [...w.passwords, w.env['CANARY_TOTP']!])
      for (const text of [stored, run.stdout, run.stderr, collected.stdout, collected.stderr, check.stdout])
        expect(text.includes(secret)).toBe(false);
  });
});
