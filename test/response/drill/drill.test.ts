import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DrillCriterion } from '../../../src/response/drill/drill-score.js';
import { runDrill } from '../../../src/response/drill/drill-runner.js';
import { runVigil } from '../../cli/cli-harness.js';
import { tempDir } from '../../support/temp-dir.js';

interface DrillJson {
  scenario: string;
  broken?: string[];
  pass: boolean;
  points: number;
  possible: number;
  incident: string;
  window: { from: string; to: string };
  attackStart: string;
  firstAlert: string | null;
  criteria: DrillCriterion[];
  containment: { action: string; status: string; detail: string }[];
  dataDir?: string;
  report?: string;
}

async function drill(args: readonly string[]) {
  const tmp = tempDir('vigil-drill-tmp-');
  const r = await runVigil(['drill', ...args, '--json'], { cwd: tmp, env: { TMPDIR: tmp } });
  return { ...r, tmp, json: r.stdout ? (JSON.parse(r.stdout) as DrillJson) : undefined };
}

const criterion = (j: DrillJson, name: string) => {
  const c = j.criteria.find((x) => x.name === name);
  if (!c) throw new Error(`no criterion ${name}`);
  return c;
};

describe('vigil drill', () => {
  // Every drill runs end to end: collect on a simulated clock, detect, open the incident from the
  // provider's published window and indicators, report, reconcile support, plan, approve and run
  // containment against the simulator, read the provider's log again, and score.
  for (const scenario of ['lapsus-2022', 'har-2023', 'cross-tenant-2023'])
    it(`${scenario}: the full response scores full marks and leaves no data behind`, async () => {
      const r = await drill([scenario]);
      expect(r.code, r.stderr).toBe(0);
      const j = r.json!;
      expect(j.pass).toBe(true);
      expect(j.points).toBe(j.possible);
      for (const c of j.criteria)
        if (c.kind !== 'info') expect(c, c.name).toMatchObject({ pass: true, missing: [] });
      // The first alert came at the first poll after the attack began (every minute).
      expect(Date.parse(j.firstAlert!) - Date.parse(j.attackStart)).toBeGreaterThan(0);
      expect(criterion(j, 'time to first alert').got).toBeLessThanOrEqual(60_000);
      // Every attack event cited, and the report also cites background events of the window that
      // are in its categories, none of them attributed to the attack.
      const cited = criterion(j, 'attack events cited');
      expect(cited.got).toBe(cited.of);
      expect(cited.of).toBeGreaterThan(2);
      const background = criterion(j, 'background events mis-cited');
      expect(background).toMatchObject({ got: 0, pass: true });
      expect(background.of, 'the window holds background events the report cites').toBeGreaterThan(0);
      // Containment was done by the provider (its own log shows each expected action).
      expect(j.containment.length).toBeGreaterThan(0);
      for (const step of j.containment) expect(step.status, step.action).toBe('done');
      const done = criterion(j, 'containment done (provider log)');
      expect(done.got).toBe(done.of);
      expect(done.of).toBeGreaterThan(2);
      if (scenario === 'lapsus-2022') {
        // The grant, the impersonation session's start and end, and three password and factor resets:
        // each found with no approved ticket. Five people named: the engineer, the admin, three users.
        expect(criterion(j, 'support actions reconciled')).toMatchObject({ got: 9, of: 9, pass: true });
        expect(criterion(j, 'principals named')).toMatchObject({ got: 5, of: 5 });
      }
      // The temporary data directory is gone.
      expect(readdirSync(r.tmp).filter((f) => f.startsWith('vigil-drill-'))).toEqual([]);
    }, 120_000);

  it('a response that never runs containment scores less and exits 1', async () => {
    const r = await drill(['cross-tenant-2023', '--break', 'containment']);
    expect(r.code).toBe(1);
    const j = r.json!;
    expect(j.pass).toBe(false);
    expect(j.points).toBeLessThan(j.possible);
    expect(j.containment).toEqual([]);
    // Planned, but the provider's log shows nothing done.
    const planned = criterion(j, 'containment planned');
    expect(planned.got).toBe(planned.of);
    const done = criterion(j, 'containment done (provider log)');
    expect(done).toMatchObject({ got: 0, pass: false });
    expect(done.missing).toHaveLength(done.of);
    // The rest of the response is still scored as it was.
    expect(criterion(j, 'attack events cited').pass).toBe(true);
  }, 120_000);

  it('a report missing an attack event scores less and exits 1, naming the event', async () => {
    const r = await drill(['har-2023', '--break', 'report']);
    expect(r.code).toBe(1);
    const cited = criterion(r.json!, 'attack events cited');
    expect(cited).toMatchObject({ got: cited.of - 1, pass: false });
    expect(cited.missing).toHaveLength(1);
    expect(cited.missing[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(criterion(r.json!, 'containment done (provider log)').pass).toBe(true);
  }, 120_000);

  it('prints a score table; --keep keeps a store that verifies and a report whose evidence bundle verifies offline', async () => {
    const tmp = tempDir('vigil-drill-keep-');
    const keep = path.join(tmp, 'kept');
    const r = await runVigil(['drill', 'cross-tenant-2023', '--keep', keep], {
      cwd: tmp,
      env: { TMPDIR: tmp },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^CRITERION +RESULT +VERDICT/m);
    expect(r.stdout).toMatch(/^attack events cited +5\/5 +ok/m);
    expect(r.stdout).toMatch(/^containment done \(provider log\) +4\/4 +ok/m);
    expect(r.stdout).toMatch(/^Score (\d+)\/\1: the response found and did everything expected$/m);
    expect(r.stdout).toContain(`Data directory: ${keep}`);

    // Everything the drill ledgered (events, audit log, support findings, containment) verifies.
    const verify = await runVigil(['--data', keep, 'verify'], { cwd: tmp });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const report = path.join(keep, 'report');
    expect(existsSync(path.join(report, 'report.html'))).toBe(true);
    const json = JSON.parse(readFileSync(path.join(report, 'report.json'), 'utf8')) as {
      header: { verifierKey: string };
      actions: unknown[];
    };
    // The report written after containment lists the actions taken.
    expect(json.actions.length).toBeGreaterThan(0);
    const bundle = await runVigil(
      ['verify-bundle', '--vkey', json.header.verifierKey, path.join(report, 'evidence')],
      { cwd: tmp },
    );
    expect(bundle.code, bundle.stdout + bundle.stderr).toBe(0);
  }, 120_000);

  it('stops when interrupted: the drill rejects with the reason, its simulator closed', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    await expect(
      runDrill({
        scenario: 'har-2023',
        dataDir: tempDir('vigil-drill-stop-'),
        startMs: Date.parse('2026-03-10T12:00:00Z'),
        users: 20,
        days: 1,
        signal: controller.signal,
      }),
    ).rejects.toThrow('interrupted');
  });

  it('refuses bad input with a coded error and touches nothing', async () => {
    const tmp = tempDir('vigil-drill-bad-');
    const unknown = await runVigil(['drill', 'mfa-fatigue'], { cwd: tmp, env: { TMPDIR: tmp } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[DRILL_UNKNOWN_SCENARIO]');
    expect(unknown.stderr).toContain('lapsus-2022, har-2023, cross-tenant-2023');

    const used = path.join(tmp, 'used');
    mkdirSync(used);
    writeFileSync(path.join(used, 'notes.txt'), 'mine');
    const inUse = await runVigil(['drill', 'har-2023', '--keep', used], { cwd: tmp, env: { TMPDIR: tmp } });
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toContain('[DRILL_KEEP_IN_USE]');
    expect(readdirSync(used)).toEqual(['notes.txt']);

    const badBreak = await runVigil(['drill', 'har-2023', '--break', 'alerts'], {
      cwd: tmp,
      env: { TMPDIR: tmp },
    });
    expect(badBreak.code).toBe(2);
    expect(badBreak.stderr).toContain('[DRILL_BAD_BREAK]');
    const badUsers = await runVigil(['drill', 'har-2023', '--users', '0', '--keep', path.join(tmp, 'k')], {
      cwd: tmp,
      env: { TMPDIR: tmp },
    });
    expect(badUsers.code).toBe(2);
    expect(badUsers.stderr).toContain('--users');
    expect(readdirSync(tmp).sort()).toEqual(['used']);
  });
});
