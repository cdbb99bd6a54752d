import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/response/incident/incident.js';
import type { BlastRadius, CitedEvent } from '../../../src/response/report/blast-radius.js';
import { incidentOfAction } from '../../../src/response/containment/containment-action.js';
import { planContainment } from '../../../src/response/containment/plan-containment.js';

const incident: Incident = {
  id: 'inc-0123456789ab',
  name: 'provider breach',
  source: 'okta',
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-03-02T00:00:00.000Z',
  scope: 'all',
  iocs: [],
  status: 'open',
  openedAt: '2026-03-02T00:00:00.000Z',
};

const event = (uuid: string, eventType: string, targets: CitedEvent['targets'] = []): CitedEvent => ({
  uuid,
  published: `2026-03-01T0${uuid.length % 9}:00:00.000Z`,
  eventType,
  outcome: 'SUCCESS',
  actor: { id: 'spr1', login: 'system@okta.com', type: 'SystemPrincipal' },
  targets,
  ip: null,
  userAgent: null,
  why: [],
});

/** A blast radius as the report computes it: support under a case, two users, a token, an IdP, a rule. */
const blast: BlastRadius = {
  incident,
  events: [
    event('e1', 'user.session.impersonation.initiate', [
      { id: '00uadmin', type: 'User', name: null },
      { id: '40001234', type: 'CaseNumber', name: '40001234' },
    ]),
    event('e2', 'user.mfa.factor.reset_all', [{ id: '00ub', type: 'User', name: null }]),
  ],
  principals: [
    {
      id: '00ub',
      login: null,
      admin: false,
      happened: ['e2'],
      by: [],
      from: [],
      recommended: ['clear-sessions', 'reset-factors'],
    },
    { id: '00uc', login: null, admin: false, happened: ['e3'], by: [], from: [], recommended: ['suspend'] },
  ],
  supportAccess: { grants: ['e0'], sessions: ['e1'] },
  apiTokens: [{ id: '00Ttoken', name: 'backdoor', uuid: 'e4' }],
  identityProviders: [{ id: '0oaidp', uuid: 'e5' }],
  policyChanges: [
    { policyId: '00ppol', ruleId: '0prrule', uuid: 'e6' },
    { policyId: '00ppol', ruleId: '0prrule', uuid: 'e7' },
    { policyId: '00ppol', ruleId: '0prnew', uuid: 'e8' },
  ],
};

describe('planContainment', () => {
  it('proposes one action per kind and target, each with its reason and evidence, in a stable order', () => {
    const plan = planContainment(blast, (policyId, ruleId) =>
      ruleId === '0prrule' ? { snapshotId: 'snap-1', rule: { id: ruleId, name: 'Require MFA' } } : undefined,
    );
    expect(plan.map((a) => a.id)).toEqual([
      'inc-0123456789ab.revoke-support-case.40001234',
      'inc-0123456789ab.revoke-support-access.okta-support',
      'inc-0123456789ab.revoke-api-token.00Ttoken',
      'inc-0123456789ab.deactivate-idp.0oaidp',
      'inc-0123456789ab.revert-policy-rule.0prrule',
      'inc-0123456789ab.clear-sessions.00ub',
      'inc-0123456789ab.reset-factors.00ub',
      'inc-0123456789ab.suspend-user.00uc',
    ]);
    const byKind = Object.fromEntries(plan.map((a) => [a.kind, a]));
    expect(byKind['revoke-support-access']!.evidence).toEqual(['e0', 'e1']);
    expect(byKind['revert-policy-rule']).toMatchObject({
      target: { type: 'policy-rule', id: '0prrule', policyId: '00ppol' },
      evidence: ['e6', 'e7'],
      revertTo: { snapshotId: 'snap-1', rule: { name: 'Require MFA' } },
    });
    for (const a of plan) {
      expect(a.reason.length).toBeGreaterThan(0);
      expect(a.evidence.length).toBeGreaterThan(0);
      expect(incidentOfAction(a.id)).toBe(incident.id);
    }
    // The same blast radius, the same plan.
    expect(planContainment(blast, () => undefined).map((a) => a.id)).toEqual(
      plan.map((a) => a.id).filter((id) => !id.includes('revert-policy-rule')),
    );
  });

  it('plans no policy revert without a posture snapshot from before the change', () => {
    expect(planContainment(blast).some((a) => a.kind === 'revert-policy-rule')).toBe(false);
  });

  it('plans nothing for an incident that touched nothing', () => {
    const quiet: BlastRadius = {
      ...blast,
      events: [],
      principals: [],
      supportAccess: { grants: [], sessions: [] },
      apiTokens: [],
      identityProviders: [],
      policyChanges: [],
    };
    expect(planContainment(quiet)).toEqual([]);
    expect(incidentOfAction('inc-0123456789ab.format-disk.x')).toBeUndefined();
  });
});
