import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';
import { oktaId } from '../org/okta-ids.js';

const signOnActions = (factorMode: '1FA' | '2FA') =>
  JSON.stringify({
    appSignOn: {
      access: 'ALLOW',
      verificationMethod: { factorMode, type: 'ASSURANCE', reauthenticateIn: 'PT2H', constraints: [] },
    },
  });

/**
 * August 2023 cross-tenant impersonation (okta-api.md §4.5): the help desk resets a super admin's
 * factors; the attacker signs in through an anonymizing proxy, weakens a policy rule from 2FA to 1FA
 * and adds an identity provider to impersonate users.
 */
export const CROSS_TENANT_2023: Scenario = {
  name: 'cross-tenant-2023',
  description: "help-desk reset of a super admin's factors, proxy sign-in, policy weakened, new IdP",
  build(ctx) {
    const kit = new AttackKit(ctx);
    const f = ctx.events;
    const admin = kit.admin();
    const helpdesk = kit.victim(5);
    const proxy = kit.hostileOrigin(true);
    const sid = kit.newSession();
    const policy = ctx.org.adminConsolePolicy;
    let idpId = '';
    const attack = [
      kit.push(
        f.build({
          eventType: 'user.mfa.factor.reset_all',
          displayMessage: 'Reset all factors for user',
          legacyEventType: 'core.user.factor.reset_all',
          published: kit.t,
          actor: f.userActor(helpdesk),
          origin: f.homeOrigin(helpdesk, ctx.random),
          target: [f.userTarget(admin)],
        }),
      ),
      kit.push(
        f.build({
          eventType: 'user.session.start',
          displayMessage: 'User login to Okta',
          legacyEventType: 'core.user_auth.login_success',
          published: kit.after(20),
          actor: f.userActor(admin),
          origin: proxy,
          sessionId: sid,
        }),
      ),
      kit.push(
        f.build({
          eventType: 'user.mfa.factor.activate',
          displayMessage: 'Activate factor or authenticator enrollment method for user',
          published: kit.after(2),
          actor: f.userActor(admin),
          origin: proxy,
          sessionId: sid,
          target: [f.userTarget(admin)],
        }),
      ),
      kit.push(
        f.build({
          eventType: 'policy.rule.update',
          displayMessage: 'Update policy rule',
          published: kit.after(6),
          actor: f.userActor(admin),
          origin: proxy,
          sessionId: sid,
          target: [
            {
              id: policy.ruleId,
              type: 'PolicyRule',
              alternateId: 'unknown',
              displayName: policy.ruleName,
              detailEntry: { policyRuleType: 'ACCESS_POLICY' },
              // Okta writes the rule's actions as a JSON string (okta-catalog mfa_downgrade).
              changeDetails: {
                from: { policyRuleActionJson: signOnActions('2FA') },
                to: { policyRuleActionJson: signOnActions('1FA') },
              },
            },
            {
              id: policy.id,
              type: 'PolicyEntity',
              alternateId: 'unknown',
              displayName: policy.name,
              detailEntry: { policyType: 'AccessPolicy' },
            },
          ],
        }),
      ),
      kit.push(
        f.build({
          eventType: 'system.idp.lifecycle.create',
          displayMessage: 'Create IdP',
          published: kit.after(5),
          actor: f.userActor(admin),
          origin: proxy,
          sessionId: sid,
          target: [
            {
              // Drawn here, where it always was, so the seeded stream (and every event after) is unchanged.
              id: (idpId = oktaId(ctx.random, '0oa')),
              type: 'IdentityProvider',
              alternateId: 'unknown',
              displayName: 'Partner SSO',
              detailEntry: null,
            },
          ],
        }),
      ),
    ];
    const [, , , weakened, idpCreated] = attack.map((e) => e.published);
    return {
      events: kit.events,
      // What the log records is what the configuration holds: the admin rule at 1FA, the new IdP.
      config: [
        {
          resource: `/api/v1/policies/${policy.id}/rules/${policy.ruleId}`,
          patch: { actions: JSON.parse(signOnActions('1FA')) as unknown, lastUpdated: weakened },
          at: Date.parse(weakened!),
        },
        {
          resource: '/api/v1/idps',
          patch: {
            id: idpId,
            name: 'Partner SSO',
            type: 'SAML2',
            status: 'ACTIVE',
            issuerMode: 'ORG_URL',
            protocol: { type: 'SAML2' },
            policy: { provisioning: { action: 'AUTO' } },
            created: idpCreated,
            lastUpdated: idpCreated,
          },
          at: Date.parse(idpCreated!),
        },
      ],
      truth: {
        scenario: 'cross-tenant-2023',
        attackEventIds: attack.map((e) => e.uuid),
        expectedDetections: [
          'vigil-mfa-reset-chain',
          'okta-mfa-reset-all',
          'okta-sign-in-via-proxy',
          'okta-policy-rule-changed',
          'vigil-policy-mfa-downgrade',
          'okta-idp-created-or-changed',
        ],
        breach: {
          // Okta's advisory of August 31, 2023 gave no dates ("in recent weeks").
          publishedWindow: kit.publishedWindow(
            Date.parse(attack[0]!.published),
            14,
            1,
            'the advisory named no dates ("in recent weeks"): the two weeks before the day of the help-desk reset through the day after',
          ),
          // The proxy's address (the advisory named proxies, not a user agent).
          iocs: kit.iocsOf(proxy).filter((i) => i.kind === 'ip'),
          principals: [
            {
              id: admin.id,
              login: admin.login,
              why: 'factors reset by the help desk; signed in through a proxy, weakened a policy, added an IdP',
            },
          ],
          containment: [
            { kind: 'clear-sessions', target: admin.id },
            { kind: 'reset-factors', target: admin.id },
            { kind: 'deactivate-idp', target: idpId },
            // Back to 2FA, as a configuration snapshot from before the change holds it.
            { kind: 'revert-policy-rule', target: policy.ruleId },
          ],
          // The help desk is the customer's own: Okta support did nothing here.
          supportActions: [],
        },
      },
    };
  },
};
