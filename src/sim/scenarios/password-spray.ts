import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';

/** One address tries one password against many accounts. */
export const PASSWORD_SPRAY: Scenario = {
  name: 'password-spray',
  description: 'failed sign-ins for a dozen users from one hosting address within minutes',
  build(ctx) {
    const kit = new AttackKit(ctx);
    const f = ctx.events;
    const evil = kit.hostileOrigin();
    const attack = [];
    for (let i = 0; i < 12; i++) {
      const user = kit.victim(i);
      attack.push(
        kit.push(
          f.build({
            eventType: 'user.session.start',
            displayMessage: 'User login to Okta',
            legacyEventType: 'core.user_auth.login_failed',
            severity: 'WARN',
            published: kit.after(0.5),
            actor: f.userActor(user),
            origin: evil,
            outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
            sessionId: null,
          }),
        ),
      );
    }
    return {
      events: kit.events,
      truth: {
        scenario: 'password-spray',
        attackEventIds: attack.map((e) => e.uuid),
        expectedDetections: ['okta-password-spray'],
      },
    };
  },
};
