import { describe, expect, it } from 'vitest';
import { canaryWorld, MFA } from './canary-world.js';

const signIn = (
  w: Awaited<ReturnType<typeof canaryWorld>>,
  username: string,
  password: string,
  ua: string,
  ip?: string,
) =>
  fetch(`${w.sim.baseUrl}/api/v1/authn`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': ua,
      ...(ip === undefined ? {} : { 'x-sim-client-ip': ip }),
    },
    body: JSON.stringify({ username, password }),
  }).then((r) => r.status);

describe('canary-in-the-log', () => {
  it('passes once the log holds every event a probe caused', async () => {
    const w = await canaryWorld();
    expect((await w.run()).code).toBe(0);
    // Before collection the log holds nothing: judged only when the log was read past the probes.
    expect((await w.check()).json.logChecks).toEqual([]);
    await w.collect();
    const again = await w.check();
    expect(again.code).toBe(0);
    expect(again.json.logChecks).toEqual([]); // collect judged them already; each is judged once
    expect((await w.alerts()).map((a) => a.rule.id)).toEqual([]);
  });

  it("fails when the provider suppresses the canary's events: a critical alert naming the probe's record", async () => {
    const w = await canaryWorld();
    const suppressed = await w.call('POST', '/sim/log-suppression', {
      actor: MFA,
      eventTypes: ['user.authentication.auth_via_mfa'],
      on: true,
    });
    expect(suppressed.status).toBe(200);
    const run = await w.run();
    expect(run.code).toBe(0); // the sign-ins themselves were enforced
    const mfaProbe = run.probes.find((p) => p.probe === 'mfa-required')!;
    const checked = await w.collect();
    expect(checked.json.canaries![0]).toMatchObject({ logChecked: 5, logMissing: 1 });
    expect(checked.stderr).toContain("MISSING FROM THE PROVIDER'S LOG");
    const alerts = await w.alerts();
    expect(alerts.map((a) => [a.rule.id, a.severity])).toEqual([['vigil-canary-log-missing', 'critical']]);
    const shown = await w.vigil('alerts', 'show', alerts[0]!.id);
    expect(shown.stdout).toContain(mfaProbe.recordId);
    expect(shown.stdout).toContain('user.authentication.auth_via_mfa');
  });

  it('vigil canary check judges on its own (canaries off inside collect), and exits 1 on a missing event', async () => {
    const w = await canaryWorld({ intervalMinutes: 0 });
    await w.call('POST', '/sim/log-suppression', { actor: 'canary-off@example.com', on: true });
    expect((await w.run()).code).toBe(0);
    await w.collect();
    const checked = await w.vigil('canary', 'check');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/^FAIL log check of probe \S+: missing user\.session\.start FAILURE$/m);
    expect(checked.stdout.match(/^PASS log check/gm)).toHaveLength(4);
    expect(checked.stdout).toContain('5 log checks judged, 1 missing events; 0 foreign sign-ins');
    const again = await w.check();
    expect(again.code).toBe(0);
    expect(again.json).toEqual({ logChecks: [], foreign: [] });
  });

  it('waits for the log lag before judging', async () => {
    const w = await canaryWorld({ logLagSeconds: 600 });
    await w.run();
    const early = await w.collect();
    expect(early.json.canaries![0]).toMatchObject({ logChecked: 0 });
    const late = await w.collect(600_000);
    expect(late.json.canaries![0]).toMatchObject({ logChecked: 5, logMissing: 0 });
  });
});

describe('canary traffic and detection', () => {
  it("raises no ordinary alert for the probes' own sign-ins, while the same traffic on another user does", async () => {
    const w = await canaryWorld();
    const other = w.sim.authn.createUser({ login: 'not-a-canary@example.com' });
    // The lockout probe's traffic, by hand, on a user that is not a canary.
    for (let i = 0; i < 10; i++) {
      expect(await signIn(w, other.login, 'wrong', 'vigil-canary/1')).toBe(401);
      w.clock.advance(1000);
    }
    expect((await w.run()).code).toBe(0);
    await w.collect();
    const alerts = await w.alerts();
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(a.rule.id.startsWith('vigil-canary-'), a.description).toBe(false);
      expect(JSON.stringify(a.entity)).toContain('not-a-canary@example.com');
    }
  });

  it('raises a critical alert for a sign-in to a canary that no probe made', async () => {
    const w = await canaryWorld();
    expect((await w.run()).code).toBe(0);
    w.clock.advance(10 * 60_000);
    expect(await signIn(w, MFA, w.passwords[0]!, 'curl/8.5.0')).toBe(200);
    const collected = await w.collect();
    expect(collected.json.canaries![0]).toMatchObject({ foreign: 1 });
    const alerts = await w.alerts();
    expect(alerts.map((a) => [a.rule.id, a.severity])).toEqual([['vigil-canary-foreign-use', 'critical']]);
    // Judged once: the next round raises nothing new.
    await w.collect();
    expect((await w.alerts()).length).toBe(1);
  });
});

describe('canaries with the runner client IP configured', () => {
  it("raises a foreign sign-in from another address even with the probes' User-Agent, inside a probe's window", async () => {
    const w = await canaryWorld({ clientIp: '127.0.0.1' });
    const run = await w.run();
    expect(run.code, run.stderr).toBe(0);
    // Seconds after the probes, someone who copied the runner's User-Agent tries the canary elsewhere.
    expect(await signIn(w, MFA, 'guess', 'vigil-canary/1', '203.0.113.9')).toBe(401);
    const collected = await w.collect();
    expect(collected.json.canaries![0]).toMatchObject({ logChecked: 5, logMissing: 0, foreign: 1 });
    const alerts = await w.alerts();
    expect(alerts.map((a) => a.rule.id)).toEqual(['vigil-canary-foreign-use']);
    const shown = await w.vigil('alerts', 'show', alerts[0]!.id);
    expect(shown.stdout).toContain('203.0.113.9');
  });
});

describe('canaries inside vigil collect', () => {
  it('probes hourly by default, remembering the last run across restarts', async () => {
    const w = await canaryWorld();
    const first = await w.collect();
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.canaries![0]!.probes.map((p) => p.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    w.clock.advance(30 * 60_000);
    expect((await w.collect()).json.canaries![0]!.probes).toEqual([]);
    w.clock.advance(30 * 60_000);
    expect((await w.collect()).json.canaries![0]!.probes).toHaveLength(5);
    expect(await w.userStatus(MFA)).toBe('ACTIVE');
  });

  it('does nothing with canaries.intervalMinutes: 0', async () => {
    const w = await canaryWorld({ intervalMinutes: 0 });
    const collected = await w.collect();
    expect(collected.code).toBe(0);
    expect(collected.json.canaries).toEqual([]);
  });
});
