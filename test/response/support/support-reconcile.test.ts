import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SupportReconciliation } from '../../../src/response/support/reconcile.js';
import { responseWorld, type ResponseWorld } from '../response-world.js';

const check = (w: ResponseWorld, ...args: string[]) =>
  w.json<SupportReconciliation>('support', 'check', '--from', '2026-03-10T00:00:00Z', ...args);

/** issue 17: every support action in the log is matched to a ticket the customer approved. */
describe('support actions reconciled with approved tickets', () => {
  it('matches actions under an approved case by its number, and checks pass', async () => {
    const w = await responseWorld();
    const approved = await w.vigil(
      'support',
      'approve',
      '--case',
      '40001234',
      '--from',
      '2026-03-10T11:00:00Z',
      '--to',
      '2026-03-10T18:00:00Z',
      '--scope',
      'impersonation,view',
      '--by',
      'Dana (CISO)',
    );
    expect(approved.code, approved.stderr).toBe(0);
    const ids = [
      await w.support({ action: 'initiate', caseNumber: '40001234' }),
      await w.support({ action: 'view', caseNumber: '40001234', supportAction: 'VIEW_USER' }),
      await w.support({ action: 'end', caseNumber: '40001234' }),
    ].map((e) => e.uuid);
    await w.collect();
    const r = await check(w);
    expect(r.code, r.stderr).toBe(0);
    expect(r.body.findings).toEqual([]);
    expect(r.body.matched.map((m) => [m.eventId, m.by, m.caseNumber])).toEqual(
      ids.map((id) => [id, 'case', '40001234']),
    );
    // The approval is a ledgered, signed record, and in the audit log.
    expect((await w.vigil('verify')).code).toBe(0);
    const audit = await w.json<{ records: { action: string; target?: string }[] }>('audit');
    expect(
      audit.body.records.some((a) => a.action === 'support.approve' && a.target === 'case:40001234'),
    ).toBe(true);
  });

  it('matches an action that names no case by time window and scope, and reports one outside the scope', async () => {
    const w = await responseWorld();
    await w.vigil(
      'support',
      'approve',
      '--case',
      '40005555',
      '--from',
      '2026-03-10T12:00:00Z',
      '--to',
      '2026-03-10T13:00:00Z',
      '--scope',
      'view',
      '--by',
      'Dana',
    );
    const view = await w.support({ action: 'view' });
    const reset = await w.support({ action: 'reset_password', user: w.sim.org.users[3]!.id });
    await w.collect();
    const r = await check(w);
    expect(r.body.matched.map((m) => [m.eventId, m.by])).toEqual([[view.uuid, 'window']]);
    expect(r.body.findings).toMatchObject([
      { kind: 'unmatched-action', severity: 'critical', eventIds: [reset.uuid] },
    ]);
    expect(r.code).toBe(1);
  });

  it('reports an unmatched action as a critical alert, with the event it is about', async () => {
    const w = await responseWorld();
    const update = await w.support({ action: 'update', supportAction: 'UPDATE_POLICY' });
    await w.collect();
    const r = await check(w);
    expect(r.code).toBe(1);
    expect(r.body.findings).toMatchObject([{ kind: 'unmatched-action', eventIds: [update.uuid] }]);
    // The finding's event comes with its inclusion proof: the one `vigil ledger prove` gives.
    expect(r.body.proofs?.unproven).toEqual([]);
    const [proven] = r.body.proofs!.events;
    const prove = await w.json<{ treeSize: number; leafIndex: number; proof: string[] }>(
      'ledger',
      'prove',
      '--event',
      update.uuid,
    );
    expect(prove.code, prove.stderr).toBe(0);
    expect(r.body.proofs!.checkpoint!.treeSize).toBe(prove.body.treeSize);
    expect(proven).toEqual({ uuid: update.uuid, leafIndex: prove.body.leafIndex, proof: prove.body.proof });
    const alerts = await w.json<{ rule: { id: string }; severity: string }[]>('alerts');
    const alert = alerts.body.find((a) => a.rule.id === 'vigil-support-reconciliation');
    expect(alert?.severity).toBe('critical');
    // --no-alerts reports the same and writes nothing more.
    const quiet = await check(w, '--no-alerts');
    expect(quiet.body.findings).toEqual(r.body.findings);
  });

  it('reports a session under an approved case but outside its window', async () => {
    const w = await responseWorld();
    await w.vigil(
      'support',
      'approve',
      '--case',
      '40007777',
      '--from',
      '2026-03-09T08:00:00Z',
      '--to',
      '2026-03-09T16:00:00Z',
      '--by',
      'Dana',
    );
    const late = await w.support({ action: 'initiate', caseNumber: '40007777' });
    await w.collect();
    const r = await check(w, '--from', '2026-03-09T00:00:00Z');
    expect(r.body.findings).toMatchObject([
      { kind: 'outside-window', severity: 'critical', caseNumber: '40007777', eventIds: [late.uuid] },
    ]);
  });

  it("reports a self-assigned case nobody approved (from the provider's cases API) and a grant with no case", async () => {
    const w = await responseWorld();
    const opened = await w.call('POST', '/sim/support-cases', {
      subject: 'Agent opened',
      selfAssigned: true,
    });
    const caseNumber = String(opened.body!['caseNumber']);
    const synced = await w.json<{ cases: number; recorded: number }>('support', 'sync');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.body.recorded).toBe(1);
    // Syncing again with nothing changed records nothing.
    expect((await w.json<{ recorded: number }>('support', 'sync')).body.recorded).toBe(0);
    const view = await w.support({ action: 'view', caseNumber });
    w.clock.advance(60_000);
    expect((await w.call('POST', '/api/v1/org/privacy/oktaSupport/grant')).status).toBe(200);
    await w.collect();
    const r = await check(w);
    expect(r.body.findings.map((f) => [f.kind, f.caseNumber, f.eventIds.length])).toEqual([
      ['unapproved-case', caseNumber, 1],
      ['grant-without-case', null, 1],
    ]);
    expect(r.body.findings[0]!.eventIds).toEqual([view.uuid]);
  });

  it("imports a ticket system's CSV export, and names the file and line of a bad row", async () => {
    const w = await responseWorld();
    const good = path.join(w.dir, 'tickets.csv');
    writeFileSync(
      good,
      [
        'Case,From,To,Scope,Approved By,Subject',
        '40002222,2026-03-10T11:00:00Z,2026-03-10T20:00:00Z,"view,impersonation",Dana,"SSO, again"',
        '40003333,2026-03-11,2026-03-12,all,,Pending',
      ].join('\n'),
    );
    const imported = await w.json<{ tickets: number; recorded: number }>('support', 'import', good);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.body).toMatchObject({ tickets: 2, recorded: 2 });
    const again = await w.json<{ recorded: number; skipped: number }>('support', 'import', good);
    expect(again.body).toMatchObject({ recorded: 0, skipped: 2 });
    const listed = await w.json<{ ticket: { caseNumber: string; approvedBy: string | null } }[]>(
      'support',
      'list',
    );
    expect(listed.body.map((t) => [t.ticket.caseNumber, t.ticket.approvedBy])).toEqual([
      ['40002222', 'Dana'],
      ['40003333', null],
    ]);

    const bad = path.join(w.dir, 'bad.csv');
    writeFileSync(
      bad,
      'case,from,to,approved_by\n40001111,2026-03-10,2026-03-11,Dana\n4000x,2026-03-10,2026-03-11,Dana\n',
    );
    const refused = await w.vigil('support', 'import', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('SUPPORT_IMPORT_INVALID');
    expect(refused.stderr).toContain(`${bad}:3`);
    const badTime = await w.vigil(
      'support',
      'approve',
      '--case',
      '1',
      '--from',
      'yesterday',
      '--to',
      '2026-03-11',
      '--by',
      'x',
    );
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--from');
  });
});
