import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';

/**
 * January 2022 (okta-api.md §4.1): a support engineer's account gets a new password factor from a new
 * location; Okta support is granted impersonation on the tenant and resets passwords and factors of
 * several users through the support tool (actor Okta System, no client).
 */
export const LAPSUS_2022: Scenario = {
  name: 'lapsus-2022',
  description: 'support impersonation lifecycle and support-performed password and MFA resets',
  build(ctx) {
    const kit = new AttackKit(ctx);
    const f = ctx.events;
    const admin = kit.admin();
    const engineer = kit.victim(3);
    const attack = [];
    // Baseline: the engineer's normal sign-in, then a new factor from a network they never used.
    kit.push(
      f.build({
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_success',
        published: kit.t,
        actor: f.userActor(engineer),
        origin: f.homeOrigin(engineer, ctx.random),
        sessionId: kit.newSession(),
      }),
    );
    const evil = kit.hostileOrigin();
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.mfa.factor.activate',
          displayMessage: 'Activate factor or authenticator enrollment method for user',
          legacyEventType: 'core.user.factor.activate',
          published: kit.after(180),
          actor: f.userActor(engineer),
          origin: evil,
          target: [
            f.userTarget(engineer),
            {
              id: engineer.passwordEnrollmentId,
              type: 'AuthenticatorEnrollment',
              alternateId: 'unknown',
              displayName: 'Password',
              detailEntry: null,
            },
          ],
          sessionId: kit.newSession(),
        }),
      ),
    );
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.session.impersonation.grant',
          displayMessage: 'Enable impersonation grant',
          legacyEventType: 'core.user.impersonation.grant.enabled',
          published: kit.after(30),
          actor: f.userActor(admin),
          origin: f.homeOrigin(admin, ctx.random),
          target: [f.userTarget(admin)],
        }),
      ),
    );
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.session.impersonation.initiate',
          displayMessage: 'Initiate impersonation session',
          legacyEventType: 'core.user.impersonation.session.initiated',
          published: kit.after(10),
          actor: f.systemActor(),
          target: [f.userTarget(admin)],
        }),
      ),
    );
    for (let i = 0; i < 3; i++) {
      const user = kit.victim(10 + i);
      attack.push(
        kit.push(
          f.build({
            eventType: 'user.account.reset_password',
            displayMessage: "Reset user's password",
            legacyEventType: 'core.user.config.password_reset',
            published: kit.after(4),
            actor: f.systemActor(),
            target: [f.userTarget(user)],
            transactionId: 'unknown',
          }),
        ),
      );
      attack.push(
        kit.push(
          f.build({
            eventType: 'user.mfa.factor.reset_all',
            displayMessage: 'Reset all factors for user',
            legacyEventType: 'core.user.factor.reset_all',
            published: kit.after(1),
            actor: f.systemActor(),
            target: [f.userTarget(user)],
            transactionId: 'unknown',
          }),
        ),
      );
    }
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.session.impersonation.end',
          displayMessage: 'End impersonation session',
          published: kit.after(25),
          actor: f.systemActor(),
          target: [f.userTarget(admin)],
        }),
      ),
    );
    // The grant the log records is the org's support access from then on (8 hours, Okta's default).
    const granted = Date.parse(
      kit.events.find((e) => e.eventType === 'user.session.impersonation.grant')!.published,
    );
    const reset = [10, 11, 12].map((i) => kit.victim(i));
    const support = attack.filter((e) => e.eventType !== 'user.mfa.factor.activate');
    return {
      events: kit.events,
      config: [
        {
          resource: '/api/v1/org/privacy/oktaSupport',
          patch: { support: 'ENABLED', expiration: new Date(granted + 8 * 3_600_000).toISOString() },
          at: granted,
        },
      ],
      truth: {
        scenario: 'lapsus-2022',
        attackEventIds: attack.map((e) => e.uuid),
        expectedDetections: [
          'vigil-credential-change-new-location',
          'okta-support-impersonation',
          'okta-support-credential-reset',
        ],
        breach: {
          // Okta named January 16–21, 2022; the support engineer's new factor was seen on January 20.
          publishedWindow: kit.publishedWindow(
            Date.parse(attack[0]!.published),
            4,
            1,
            "the provider's window: the four days before the day a support engineer's account got a new factor, through the day after (Okta: January 16–21, 2022)",
          ),
          // Okta named no user agent for 2022: the address the engineer's new factor came from.
          iocs: kit.iocsOf(evil).filter((i) => i.kind === 'ip'),
          principals: [
            { id: engineer.id, login: engineer.login, why: 'new password factor from an unknown network' },
            { id: admin.id, login: admin.login, why: 'impersonated by Okta support' },
            ...reset.map((u) => ({ id: u.id, login: u.login, why: 'password and factors reset by support' })),
          ],
          containment: [
            { kind: 'revoke-support-access' },
            // Support's impersonation sessions ran as the admin.
            { kind: 'clear-sessions', target: admin.id },
            ...[engineer, ...reset].flatMap((u) => [
              { kind: 'clear-sessions' as const, target: u.id },
              { kind: 'reset-factors' as const, target: u.id },
            ]),
          ],
          // The customer approved no ticket: every support action of the attack is unmatched.
          supportActions: support.map((e) => ({ eventId: e.uuid, approvedTicket: null })),
        },
      },
    };
  },
};
