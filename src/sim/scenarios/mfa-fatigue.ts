import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';

/** Push after push to one user from an attacker who holds the password, until one is accepted. */
export const MFA_FATIGUE: Scenario = {
  name: 'mfa-fatigue',
  description: 'eight Okta Verify pushes in a few minutes, the first seven rejected',
  build(ctx) {
    const kit = new AttackKit(ctx);
    const f = ctx.events;
    const user = kit.victim(8);
    const evil = kit.hostileOrigin();
    const attack = [];
    for (let i = 0; i < 8; i++) {
      attack.push(
        kit.push(
          f.build({
            eventType: 'system.push.send_factor_verify_push',
            displayMessage: 'Push notification sent',
            published: kit.after(0.5),
            actor: f.userActor(user),
            origin: evil,
            target: [f.userTarget(user)],
          }),
        ),
      );
      if (i < 7) {
        attack.push(
          kit.push(
            f.build({
              eventType: 'user.mfa.okta_verify.deny_push',
              displayMessage: 'User rejected Okta push verify',
              severity: 'WARN',
              published: kit.after(0.2),
              actor: f.userActor(user),
              origin: f.homeOrigin(user, ctx.random),
              outcome: { result: 'FAILURE', reason: 'User rejected Okta push verify' },
            }),
          ),
        );
      }
    }
    return {
      events: kit.events,
      truth: {
        scenario: 'mfa-fatigue',
        attackEventIds: attack.map((e) => e.uuid),
        expectedDetections: ['okta-mfa-push-fatigue'],
      },
    };
  },
};
