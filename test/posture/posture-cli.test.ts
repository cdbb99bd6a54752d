import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstSignOnRule, world } from './posture-world.js';

describe('vigil posture', () => {
  it('snapshots the whole configuration into the ledger, and verify checks it', async () => {
    const w = await world();
    const collected = await w.round();
    const fromCollect = collected.posture[0]!.snapshot!;
    expect(fromCollect.incomplete).toBe(0);
    w.clock.advance(1000);
    const taken = await w.vigil('posture', 'snapshot', '--json');
    expect(taken.code, taken.stderr).toBe(0);
    const [manual] = JSON.parse(taken.stdout) as { id: string; changes: number; incomplete: unknown[] }[];
    expect(manual!.incomplete).toEqual([]);
    expect(manual!.changes).toBe(0);
    const history = await w.vigil('posture', 'history', '--json');
    expect((JSON.parse(history.stdout) as { id: string }[]).map((h) => h.id)).toEqual([
      fromCollect.id,
      manual!.id,
    ]);
    const proof = await w.vigil(
      'ledger',
      'prove',
      '--source',
      'okta/config-snapshots',
      '--record',
      manual!.id,
    );
    expect(proof.code, proof.stderr).toBe(0);
    const verified = await w.vigil('verify', '--json');
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout).sources.map((s: { source: string }) => s.source)).toContain(
      'okta/config-snapshots',
    );
  });

  it('checks the baseline: every built-in check has a result naming its evidence', async () => {
    const w = await world();
    await w.round();
    const { report } = await w.check();
    const checks = new Set(report.findings.filter((f) => f.kind === 'baseline').map((f) => f.check));
    for (const id of ['OKTA.SUPPORT.1.1v1', 'OKTA.SESSION.1.1v1', 'OKTA.THREAT.1.1v1', 'OKTA.AUTHN.1.1v1'])
      expect(checks).toContain(id);
    for (const f of report.findings) {
      expect(['pass', 'fail', 'warn', 'not-applicable']).toContain(f.status);
      expect(f.resource).toMatch(/^\/(api|oauth2)\//);
    }
  });

  it('catches a policy rule change made below the application, and alerts', async () => {
    const w = await world();
    await w.round();
    const rule = await firstSignOnRule(w);
    const changed = await w.shadow(rule, { actions: { signon: { requireFactor: false } } });
    expect(changed.status).toBe(200);
    await w.round(); // the snapshot after the change
    const reviewed = await w.round(1); // the log read past it: the change is judged, no new snapshot yet
    expect(reviewed.posture[0]!.shadowChanges).toBe(1);
    const { code, report } = await w.check();
    expect(code).toBe(1);
    const shadow = report.findings.filter((f) => f.kind === 'shadow-change');
    expect(shadow).toContainEqual(
      expect.objectContaining({
        resource: rule,
        field: '/actions/signon/requireFactor',
        after: false,
        status: 'fail',
        explainedBy: [],
      }),
    );
    const alerts = await w.vigil('alerts', '--json');
    expect(alerts.stdout).toContain('vigil-posture-shadow-change');
  });

  it('reports the same change made through the API as drift, with the event that explains it', async () => {
    const w = await world();
    await w.round();
    const rule = await firstSignOnRule(w);
    const current = (await w.call('GET', rule)).body as Record<string, unknown>;
    const actions = current['actions'] as { signon: Record<string, unknown> };
    const put = await w.call('PUT', rule, {
      ...current,
      actions: { ...actions, signon: { ...actions.signon, requireFactor: false } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await w.round();
    const reviewed = await w.round(1);
    expect(reviewed.posture[0]!.shadowChanges).toBe(0);
    const { report } = await w.check();
    const change = report.findings.find(
      (f) => f.kind !== 'baseline' && f.resource === rule && f.field === '/actions/signon/requireFactor',
    );
    expect(change).toMatchObject({ kind: 'drift', status: 'pass' });
    expect(change!.explainedBy.length).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.kind === 'shadow-change')).toEqual([]);
  });

  it('names a bad baseline by file and line, and writes HTML and CSV reports', async () => {
    const w = await world();
    await w.round();
    const bad = path.join(w.dir, 'baseline.yaml');
    writeFileSync(bad, 'settings:\n  maxSuperAdmins: many\nallow:\n  nosuch: []\n');
    const refused = await w.vigil('posture', 'check', '--baseline', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}:2:`);
    expect(refused.stderr).toContain(`${bad}:4:`);
    const good = path.join(w.dir, 'good.yaml');
    writeFileSync(
      good,
      'checks:\n  OKTA.PASSWORD.1.1v1: { enabled: false, reason: long passphrases elsewhere }\nallow:\n  identityProviders: []\n',
    );
    const html = path.join(w.dir, 'r.html');
    const csv = path.join(w.dir, 'r.csv');
    const { report } = await w.check('--baseline', good, '--html', html, '--csv', csv);
    expect(report.findings.find((f) => f.check === 'OKTA.PASSWORD.1.1v1')?.status).toBe('not-applicable');
    expect(readFileSync(html, 'utf8')).toContain('<title>Vigil posture: okta');
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe(
      'kind,check,requirement,status,title,resource,field,before,after,explainedBy,detail,fix,references',
    );
  });
});
