import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';

/** A user signs in at home and, twenty minutes later, from another continent. */
export const IMPOSSIBLE_TRAVEL: Scenario = {
  name: 'impossible-travel',
  description: 'two successful sign-ins thousands of kilometres apart within minutes',
  build(ctx) {
    const kit = new AttackKit(ctx);
    const f = ctx.events;
    const user = kit.victim(13);
    const start = {
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      actor: f.userActor(user),
    };
    const home = kit.push(
      f.build({
        ...start,
        published: kit.t,
        origin: f.homeOrigin(user, ctx.random),
        sessionId: kit.newSession(),
      }),
    );
    let far = kit.hostileOrigin();
    for (let i = 0; i < 8 && Math.abs(far.place.lon - user.home.lon) < 60; i++) far = kit.hostileOrigin();
    const away = kit.push(
      f.build({ ...start, published: kit.after(20), origin: far, sessionId: kit.newSession() }),
    );
    return {
      events: kit.events,
      truth: {
        scenario: 'impossible-travel',
        attackEventIds: [home.uuid, away.uuid],
        expectedDetections: ['vigil-impossible-travel'],
      },
    };
  },
};
