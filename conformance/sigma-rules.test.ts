import { describe, expect, it } from 'vitest';
import { loadSigmaRules, SigmaEngine, type SigmaRule } from '../src/detect/sigma/index.js';
import { CONFORMANCE_DIR, conformancePath } from './shared-conformance.js';
import { expectCode } from '../test/support/expect-code.js';

/**
 * Loads the 24 SigmaHQ Okta rules unmodified and runs each against one Okta-shaped event built here
 * from the rule's logic (our own fixture) that must match, and one near-miss that must not.
 */
const base = {
  uuid: 'e',
  published: '2026-01-01T00:00:00Z',
  actor: { alternateId: 'a@corp.com' },
  target: [],
};
type Pair = readonly [hit: Record<string, unknown>, miss: Record<string, unknown>];
const byType = (t: string, other = 'user.session.end'): Pair => [{ eventType: t }, { eventType: other }];

const CASES: Record<string, Pair> = {
  '9058ca8b-f397-4fd1-a9fa-2b7aad4d6309': [
    {
      debugContext: { debugData: { requestUri: '/api/v1/admin/users' } },
      securityContext: { isProxy: true },
    },
    {
      debugContext: { debugData: { requestUri: '/api/v1/admin/users' } },
      securityContext: { isProxy: false },
    },
  ],
  '413d4a81-6c98-4479-9863-014785fd579c': byType('group.privilege.grant'),
  '139bdd4b-9cd7-49ba-a2f4-744d0a8f5d8c': byType('iam.resourceset.bindings.add'),
  '19951c21-229d-4ccb-8774-b993c3ff3c5c': byType('system.api_token.create'),
  'cf1dbc6b-6205-41b4-9b88-a83980d2255b': byType('system.api_token.revoke'),
  '7899144b-e416-4c28-b0b5-ab8f9e0a541d': byType(
    'application.lifecycle.delete',
    'application.lifecycle.create',
  ),
  '8f668cc4-c18e-45fe-ad00-624a981cf88a': byType('application.policy.sign_on.rule.delete'),
  'ee39a9f7-5a79-4b0a-9815-d36b3cf28d3e': [
    {
      eventType: 'user.authentication.auth_via_mfa',
      outcome: { result: 'FAILURE', reason: 'FastPass declined phishing attempt' },
    },
    {
      eventType: 'user.authentication.auth_via_mfa',
      outcome: { result: 'SUCCESS', reason: 'FastPass declined phishing attempt' },
    },
  ],
  '969c7590-8c19-4797-8c1b-23155de6e7ac': byType('system.idp.lifecycle.create'),
  '50e068d7-1e6b-4054-87e5-0a592c40c7e0': byType('user.mfa.factor.reset_all', 'user.mfa.factor.activate'),
  '9f308120-69ed-4506-abde-ac6da81f4310': byType('zone.delete', 'zone.activate'),
  'a0b38b70-3cb5-484b-a4eb-c4d8e7bcc0a9': [
    {
      eventType: 'policy.evaluate_sign_on',
      target: [{ displayName: 'Some Policy' }, { displayName: 'Okta Admin Console' }],
      debugContext: { debugData: { behaviors: '{New Geo-Location=NEGATIVE, New Device=POSITIVE}' } },
    },
    {
      eventType: 'policy.evaluate_sign_on',
      target: [{ displayName: 'Okta Admin Console' }],
      debugContext: { debugData: { behaviors: '{New Geo-Location=NEGATIVE, New Device=NEGATIVE}' } },
    },
  ],
  '91b76b84-8589-47aa-9605-c837583b82a9': [
    { legacyEventType: 'core.user_auth.login_failed', actor: { alternateId: 'Hunter2Secret!' } },
    { legacyEventType: 'core.user_auth.login_failed', actor: { alternateId: 'jane.doe@corp.com' } },
  ],
  '1667a172-ed4c-463c-9969-efd92195319a': byType('policy.lifecycle.update'),
  '0c97c1d3-4057-45c9-b148-1de94b631931': byType('policy.rule.delete'),
  '5c82f0b9-3c6d-477f-a318-0e14a1df73e0': byType('security.threat.detected'),
  '07e97cc6-aed1-43ae-9081-b3470d2367f1': byType('user.account.report_suspicious_activity_by_enduser'),
  '6cc2b61b-d97e-42ef-a9dd-8aa8dc951657': [
    { displayMessage: 'User attempted unauthorized access to app' },
    { displayMessage: 'User accessed app' },
  ],
  '14701da0-4b0f-4ee6-9c95-2ffb4e73bb9a': [
    { displayMessage: 'Max sign in attempts exceeded' },
    { displayMessage: 'Sign in attempt failed' },
  ],
  'b6c718dd-8f53-4b9f-98d8-93fdca966969': byType('user.lifecycle.create'),
  'bde30855-5c53-4c18-ae90-1ff79ebc9578': [
    { eventType: 'user.session.start', securityContext: { isProxy: true } },
    { eventType: 'user.session.start', securityContext: { isProxy: null } },
  ],
  '00a8e92a-776b-425f-80f2-82d8f8fab2e5': [
    { eventType: 'user.lifecycle.activate', target: [{ displayName: 'SVC_Network_Backup_01' }] },
    { eventType: 'user.lifecycle.activate', target: [{ displayName: 'jane' }] },
  ],
  '0d58814b-1660-4d31-8c93-d1086ed24cba': [
    { debugContext: { debugData: { requestUri: '/api/internal/reports/password-health/export' } } },
    { debugContext: { debugData: { requestUri: '/api/internal/reports/users/' } } },
  ],
  'fe04b26b-0ac4-45d7-9404-4b9f16a440a9': [
    { eventType: 'user.session.impersonation.grant', actor: { alternateId: 'mallory@evil.example' } },
    { eventType: 'user.session.impersonation.grant', actor: { alternateId: 'admin@corp.com' } },
  ],
};

describe.skipIf(!CONFORMANCE_DIR)('SigmaHQ Okta rules (conformance)', () => {
  const dir = (): string => conformancePath('sigma');
  const placeholders = { legtimate_identifiers: ['@corp.com'] };

  it('refuses the placeholder rule until its placeholder is configured', async () => {
    const err = await expectCode(loadSigmaRules([dir()]), 'SIGMA_UNRESOLVED_PLACEHOLDER');
    expect(String(err.details.file)).toMatch(/okta_session_impersonation_granted\.yml$/);
    expect(err.details.line).toBe(30);
  });

  it('loads all 24 rules and each matches its event and not its near miss', async () => {
    const rules: SigmaRule[] = await loadSigmaRules([dir()], { placeholders });
    expect(rules).toHaveLength(24);
    expect(new Set(rules.map((r) => r.id))).toEqual(new Set(Object.keys(CASES)));
    const engine = new SigmaEngine(rules);
    for (const [id, [hit, miss]] of Object.entries(CASES)) {
      const fired = (event: Record<string, unknown>): string[] =>
        engine.evaluate({ ...base, ...event }, { timeMs: 0, id: 'e' }).map((h) => h.rule.id);
      expect(fired(hit), `${id} should match`).toContain(id);
      expect(fired(miss), `${id} should not match`).not.toContain(id);
    }
    const [hit] = engine.evaluate(
      { ...base, eventType: 'security.threat.detected' },
      { timeMs: 7, id: 'evt-1' },
    );
    expect(hit).toMatchObject({
      kind: 'detection',
      eventIds: ['evt-1'],
      timeMs: 7,
      rule: {
        id: '5c82f0b9-3c6d-477f-a318-0e14a1df73e0',
        title: 'Okta Security Threat Detected',
        level: 'medium',
      },
    });
    expect(hit?.rule.tags.length).toBeGreaterThan(0);
    expect(hit?.rule.description).toBeTruthy();
  });
});
