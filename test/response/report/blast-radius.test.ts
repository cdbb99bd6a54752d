import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentReport } from '../../../src/response/report/incident-report.js';
import { lapsusWorld, type LapsusWorld } from './lapsus-world.js';

async function openIncident(world: LapsusWorld, ...extra: string[]): Promise<string> {
  const opened = await world.vigil(
    'incident',
    'open',
    '--name',
    'Okta support compromise',
    '--from',
    world.from,
    '--to',
    world.to,
    '--json',
    ...extra,
  );
  expect(opened.code, opened.stderr).toBe(0);
  return (JSON.parse(opened.stdout) as { id: string }).id;
}

async function reportJson(world: LapsusWorld, id: string, ...extra: string[]): Promise<IncidentReport> {
  const run = await world.vigil('incident', 'report', id, '--json', ...extra);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as IncidentReport;
}

describe('the blast radius of lapsus-2022 (ground truth: ScenarioTruth.attackEventIds)', () => {
  it("scope support with the attacker's user agent as indicator: exactly the attack events are cited, each with a proof", async () => {
    const world = await lapsusWorld();
    const ioc = path.join(world.dir, 'iocs.txt');
    writeFileSync(ioc, `# Okta's published indicators\n${world.attackerUserAgent}\n`);
    const id = await openIncident(world, '--scope', 'support', '--ioc', ioc);
    const report = await reportJson(world, id);

    const cited = new Set(report.timeline.map((e) => e.uuid));
    expect([...world.attackIds].filter((u) => !cited.has(u))).toEqual([]); // every attack event present
    expect([...cited].filter((u) => !world.attackIds.has(u))).toEqual([]); // no background event cited
    expect(report.evidence.eventsInWindow).toBeGreaterThan(cited.size); // background traffic was in the window
    for (const e of report.timeline) {
      expect(e.leafIndex).toBeGreaterThanOrEqual(0);
      expect(e.leafIndex).toBeLessThan(report.evidence.checkpoint.treeSize);
      expect(e.why.length).toBeGreaterThan(0);
    }
    const activate = report.timeline.find((e) => e.eventType === 'user.mfa.factor.activate')!;
    expect(activate.why).toEqual(['credential-change', `ioc:user-agent:${world.attackerUserAgent}`]);
    const resets = report.timeline.filter((e) => e.eventType === 'user.account.reset_password');
    expect(resets).toHaveLength(3);
    for (const r of resets) expect(r.why).toContain('support-performed');
  });

  it('names the three users support reset (reset password, re-enrol factors, clear sessions), the admin who let support in, and support access', async () => {
    const world = await lapsusWorld();
    const id = await openIncident(world, '--scope', 'support');
    const report = await reportJson(world, id);
    const radius = report.blastRadius;
    const reset = radius.principals.filter((p) => p.recommended.includes('reset-password'));
    expect(reset).toHaveLength(3);
    for (const p of reset) {
      expect(p.recommended).toEqual(
        expect.arrayContaining(['clear-sessions', 'reset-password', 'reset-factors']),
      );
      expect(p.happened).toHaveLength(2); // the password reset and the factor reset
      expect(p.by).toEqual(['system@okta.com']);
    }
    const admin = radius.principals.find((p) => p.admin)!;
    expect(admin.recommended).toContain('review-admin-grants');
    const grant = report.timeline.find((e) => e.eventType === 'user.session.impersonation.grant')!;
    const initiate = report.timeline.find((e) => e.eventType === 'user.session.impersonation.initiate')!;
    expect(radius.supportAccess).toEqual({ grants: [grant.uuid], sessions: [initiate.uuid] });
    expect(radius.apiTokens).toEqual([]);
  });

  it('scope all: every attack event is present, and background events cited only for what they are (never support, never an indicator hit)', async () => {
    const world = await lapsusWorld();
    const id = await openIncident(world, '--scope', 'all');
    const report = await reportJson(world, id);
    const cited = new Set(report.timeline.map((e) => e.uuid));
    expect([...world.attackIds].filter((u) => !cited.has(u))).toEqual([]);
    for (const e of report.timeline.filter((x) => !world.attackIds.has(x.uuid)))
      expect(e.why.filter((w) => w.startsWith('support') || w.startsWith('ioc:'))).toEqual([]);
  });
  it("the attacker's address as an IP and inside a CIDR: the hostile factor activation is cited for both, by its client address", async () => {
    const world = await lapsusWorld();
    const ioc = path.join(world.dir, 'iocs.csv');
    const range = `${world.attackerIp.split('.').slice(0, 3).join('.')}.0/24`;
    writeFileSync(ioc, `type,value\nip,${world.attackerIp}\ncidr,${range}\n`);
    const id = await openIncident(world, '--scope', 'support', '--ioc', ioc);
    // Revealed: tokenised, the addresses in `why` are tokens too.
    const report = await reportJson(world, id, '--reveal', '--reason', 'checking the indicators');
    const activate = report.timeline.find((e) => e.eventType === 'user.mfa.factor.activate')!;
    expect(activate.why).toEqual(['credential-change', `ioc:ip:${world.attackerIp}`, `ioc:cidr:${range}`]);
    expect(
      report.timeline
        .filter((e) => e.why.some((w) => w.startsWith('ioc:')))
        .every((e) => world.attackIds.has(e.uuid)),
    ).toBe(true);
  });
});
