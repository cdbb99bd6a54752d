import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';

/**
 * Push after push to one user from an attacker who holds the password, until one is accepted: the
 * pushes come from the attacker's new device and IP, the approval from the user's phone at home.
 */
export const MFA_FATIGUE: Scenario = {
  name: 'mfa-fatigue',
  description: 'eight Okta Verify pushes in a few minutes, seven rejected, the last approved',
  build(ctx) {
    const kit = new AttackKit(ctx);
    const f = ctx.events;
    const user = kit.victim(8);
    const evil = kit.hostileOrigin();
    const sid = kit.newSession();
    const home = f.homeOrigin(user, ctx.random);
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
            sessionId: sid,
            target: [f.userTarget(user)],
            debugData: { behaviors: '{New Geo-Location=POSITIVE, New Device=POSITIVE, New IP=POSITIVE}' },
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
              origin: home,
              outcome: { result: 'FAILURE', reason: 'User rejected Okta push verify' },
            }),
          ),
        );
      }
    }
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.authentication.auth_via_mfa',
          displayMessage: 'Authentication of user via MFA',
          published: kit.after(0.3),
          actor: f.userActor(user),
          origin: home,
          sessionId: sid,
          outcome: { result: 'SUCCESS' },
          debugData: { factor: 'OKTA_VERIFY_PUSH' },
        }),
      ),
    );
    return {
      events: kit.events,
      truth: {
        scenario: 'mfa-fatigue',
        attackEventIds: attack.map((e) => e.uuid),
        expectedDetections: ['okta-mfa-push-fatigue', 'vigil-push-source-mismatch'],
      },
    };
  },
};
