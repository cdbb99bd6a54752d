import { describe, expect, it } from 'vitest';
import type { ActionStatus, RunReport } from '../../../src/response/containment/containment-service.js';
import { runVigil } from '../../cli/cli-harness.js';
import { responseWorld, type ResponseWorld } from '../response-world.js';

interface Plan {
  incident: string;
  actions: {
    action: { id: string; kind: string; target: { id: string }; evidence: string[]; reason: string };
    state: string;
  }[];
}

/**
 * A lapsus-2022 breach at the simulated provider (support impersonation, support-tool resets of three
 * users), plus, after a posture snapshot, an admin's change to a sign-on rule and a new API token:
 * the incident's containment plan, approved, dry-run, run, re-run, and tied back to the provider's log.
 */
async function breached(): Promise<
  ResponseWorld & { incident: string; ruleUrl: string; ruleName: string; tokenId: string }
> {
  const w = await responseWorld({ scenarios: [{ name: 'lapsus-2022' }] });
  await w.collect();
  expect((await w.vigil('posture', 'snapshot')).code).toBe(0);
  const policies = (await w.call('GET', '/api/v1/policies?type=OKTA_SIGN_ON')).body as unknown as {
    id: string;
  }[];
  const rules = (await w.call('GET', `/api/v1/policies/${policies[0]!.id}/rules`)).body as unknown as Record<
    string,
    unknown
  >[];
  const rule = rules[0]!;
  const ruleUrl = `/api/v1/policies/${policies[0]!.id}/rules/${String(rule['id'])}`;
  w.clock.advance(60_000);
  expect((await w.call('PUT', ruleUrl, { ...rule, name: 'Anyone, anywhere' })).status).toBe(200);
  w.clock.advance(60_000);
  const token = await w.call('POST', '/sim/api-tokens', { name: 'backdoor' });
  await w.collect();
  const opened = await w.json<{ id: string }>(
    'incident',
    'open',
    '--name',
    'Okta support breach',
    '--from',
    '2026-03-09T00:00:00Z',
    '--to',
    '2026-03-10T13:00:00Z',
    '--scope',
    'all',
  );
  expect(opened.code, opened.stderr).toBe(0);
  return {
    ...w,
    incident: opened.body.id,
    ruleUrl,
    ruleName: String(rule['name']),
    tokenId: String(token.body!['id']),
  };
}

describe('containment planned from the blast radius and run through the provider API', () => {
  it('plans, approves, dry-runs (nothing changes), runs, re-runs (nothing again), and ties the provider events back', async () => {
    const w = await breached();
    const plan = await w.json<Plan>('contain', 'plan', w.incident);
    expect(plan.code, plan.stderr).toBe(0);
    const kinds = new Set(plan.body.actions.map((a) => a.action.kind));
    for (const k of [
      'revoke-support-access',
      'clear-sessions',
      'reset-factors',
      'revoke-api-token',
      'revert-policy-rule',
    ])
      expect(kinds, k).toContain(k);
    const truth = w.sim.scenarioTruth[0]!.attackEventIds;
    const support = plan.body.actions.find((a) => a.action.kind === 'revoke-support-access')!;
    expect(support.action.evidence.length).toBeGreaterThan(0);
    for (const uuid of support.action.evidence) expect(truth).toContain(uuid);
    // Stable ids: the same incident gives the same plan.
    expect((await w.json<Plan>('contain', 'plan', w.incident)).body).toEqual(plan.body);

    const before = w.sim.truth().length;
    const notApproved = await w.json<RunReport>('contain', 'run', w.incident);
    expect(notApproved.body.steps.every((s) => s.outcome === 'not-approved')).toBe(true);

    const ids = plan.body.actions.map((a) => a.action.id);
    const approved = await w.json<{ approved: string[] }>(
      'contain',
      'approve',
      ...ids,
      '--by',
      'Dana (IR lead)',
    );
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.body.approved).toEqual(ids);

    const dry = await w.json<RunReport>('contain', 'run', w.incident);
    expect(dry.code).toBe(0);
    expect(dry.body.executed).toBe(false);
    expect(dry.body.steps.every((s) => s.outcome === 'would-run')).toBe(true);
    w.clock.advance(30_000);
    expect(w.sim.truth().length).toBe(before);
    expect(w.sim.config.get(`/api/v1/api-tokens/${w.tokenId}`)).toBeDefined();

    const run = await w.json<RunReport>('contain', 'run', w.incident, '--execute', '--by', 'Dana');
    expect(run.code, run.stderr).toBe(0);
    expect(run.body.steps.map((s) => s.outcome).every((o) => o === 'done' || o === 'already-done')).toBe(
      true,
    );
    // The org changed: support access off, the token gone, the rule as the snapshot held it, users contained.
    expect(w.sim.config.get('/api/v1/org/privacy/oktaSupport')!['support']).toBe('DISABLED');
    expect(w.sim.config.get(`/api/v1/api-tokens/${w.tokenId}`)).toBeUndefined();
    expect(w.sim.config.get(w.ruleUrl)!['name']).toBe(w.ruleName);
    const cleared = plan.body.actions
      .filter((a) => a.action.kind === 'clear-sessions')
      .map((a) => a.action.target.id);
    for (const id of cleared) expect(w.sim.containment.user(id).sessionsClearedAt).toHaveLength(1);

    // Idempotent: a second run does nothing already done and the provider logs nothing new.
    w.clock.advance(30_000);
    const logged = w.sim.truth().length;
    const again = await w.json<RunReport>('contain', 'run', w.incident, '--execute');
    expect(again.body.steps.every((s) => s.outcome === 'skipped')).toBe(true);
    w.clock.advance(30_000);
    expect(w.sim.truth().length).toBe(logged);
    for (const id of cleared) expect(w.sim.containment.user(id).sessionsClearedAt).toHaveLength(1);

    // The provider's events, once collected, are tied back to each action done.
    await w.collect();
    const status = await w.json<{ actions: ActionStatus[] }>('contain', 'status', w.incident);
    for (const s of status.body.actions.filter((a) => a.results.some((r) => r.outcome === 'done')))
      expect(s.providerEvents.length, s.action.id).toBeGreaterThan(0);
    const token = status.body.actions.find((a) => a.action.kind === 'revoke-api-token')!;
    expect(token.providerEvents[0]!.eventType).toBe('system.api_token.revoke');

    // Every approval and result is ledgered and verifies; the audit log names them.
    expect((await w.vigil('verify')).code).toBe(0);
    const audit = await w.json<{ records: { action: string }[] }>('audit');
    const actions = audit.body.records.map((r) => r.action);
    expect(actions.filter((a) => a === 'contain.approve')).toHaveLength(ids.length);
    expect(actions.filter((a) => a === 'contain.run')).toHaveLength(2);
  });

  it('reports an action the provider refuses, with its error code and exit 1, and does it on a later run', async () => {
    const w = await breached();
    const plan = await w.json<Plan>('contain', 'plan', w.incident);
    const token = plan.body.actions.find((a) => a.action.kind === 'revoke-api-token')!.action.id;
    expect((await w.vigil('contain', 'approve', token, '--by', 'Dana')).code).toBe(0);
    // A token Okta refuses (revoked, say): the run reports Okta's answer and ledgers it, once.
    const refused = await runVigil(['--data', w.dir, 'contain', 'run', w.incident, '--execute', '--json'], {
      env: { OKTA_TOKEN: 'revoked-token' },
      clock: w.clock,
    });
    expect(refused.code).toBe(1);
    const step = (JSON.parse(refused.stdout) as RunReport).steps.find((s) => s.actionId === token)!;
    expect(step.outcome).toBe('refused');
    const status = await w.json<{ actions: ActionStatus[] }>('contain', 'status', w.incident);
    const state = status.body.actions.find((a) => a.action.id === token)!;
    expect(state.state).toBe('refused');
    expect(state.results).toMatchObject([{ outcome: 'refused', httpStatus: 401, errorCode: 'E0000011' }]);
    expect(w.sim.config.get(`/api/v1/api-tokens/${w.tokenId}`)).toBeDefined();
    // The next run, with a good token, does it.
    const done = await w.json<RunReport>('contain', 'run', w.incident, '--execute');
    expect(done.code).toBe(0);
    expect(done.body.steps.find((s) => s.actionId === token)!.outcome).toBe('done');
    expect(w.sim.config.get(`/api/v1/api-tokens/${w.tokenId}`)).toBeUndefined();
  });

  it('refuses to approve an action no plan holds, naming it', async () => {
    const w = await breached();
    const r = await w.vigil('contain', 'approve', `${w.incident}.suspend-user.00unobody`, '--by', 'Dana');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONTAIN_UNKNOWN_ACTION');
    const junk = await w.vigil('contain', 'approve', 'rm -rf', '--by', 'Dana');
    expect(junk.code).toBe(2);
    const plan = await w.json<Plan>('contain', 'plan', w.incident);
    const nameless = await w.vigil('contain', 'approve', plan.body.actions[0]!.action.id, '--by', ' ');
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toContain('CONTAIN_INVALID');
  });
});
