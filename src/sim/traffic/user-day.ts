import type { Random } from '../../core/seeded-random.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { EventFactory, SimOrigin } from '../events/event-factory.js';
import { sessionId } from '../org/okta-ids.js';
import type { SimUser } from '../org/sim-org.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * One person's working day: a morning sign-in (password, then Okta Verify), SSO into a few apps,
 * sometimes a second session in the afternoon, occasional typos, rare password or factor changes.
 * Weekends are quiet. Times follow the person's local working hours.
 */
export function userDay(
  factory: EventFactory,
  user: SimUser,
  dayStartUtc: number,
  random: Random,
): OktaLogEvent[] {
  const weekday = new Date(dayStartUtc).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (weekend && !random.chance(0.15)) return [];
  const events: OktaLogEvent[] = [];
  const sessions = weekend
    ? 1
    : random.weighted([
        [1, 5],
        [2, 3],
        [3, 1],
      ] as const);
  let t = dayStartUtc + (8.5 - user.home.utcOffset) * HOUR + random.normal() * 40 * MINUTE;
  for (let s = 0; s < sessions; s++) {
    const origin = factory.homeOrigin(user, random);
    events.push(...signInSession(factory, user, origin, t, random));
    t += random.int(2, 4) * HOUR + random.int(0, 59) * MINUTE;
  }
  if (random.chance(0.01))
    events.push(passwordChange(factory, user, factory.homeOrigin(user, random), t, random));
  return events;
}

function signInSession(
  factory: EventFactory,
  user: SimUser,
  origin: SimOrigin,
  start: number,
  random: Random,
): OktaLogEvent[] {
  const out: OktaLogEvent[] = [];
  let t = start;
  const actor = factory.userActor(user);
  const sid = sessionId(random);
  const passwordTarget = {
    id: user.passwordEnrollmentId,
    type: 'AuthenticatorEnrollment',
    alternateId: 'unknown',
    displayName: 'Password',
    detailEntry: null,
  };
  // A mistyped password now and then (Okta: WARN, INVALID_CREDENTIALS, login_failed).
  if (random.chance(0.04)) {
    out.push(
      factory.build({
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_failed',
        severity: 'WARN',
        published: t,
        actor,
        origin,
        outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
        target: [passwordTarget],
        sessionId: sid,
        debugData: { requestUri: '/idp/idx/identify', url: '/idp/idx/identify?' },
      }),
    );
    t += random.int(5_000, 30_000);
  }
  out.push(
    factory.build({
      eventType: 'policy.evaluate_sign_on',
      displayMessage: 'Evaluation of sign-on policy',
      published: t,
      actor,
      origin,
      outcome: { result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW' },
      target: [
        {
          id: factory.org.signOnPolicy.id,
          type: 'PolicyEntity',
          alternateId: 'unknown',
          displayName: factory.org.signOnPolicy.name,
          detailEntry: { policyType: 'OktaSignOn' },
        },
        {
          id: factory.org.signOnPolicy.ruleId,
          type: 'PolicyRule',
          alternateId: 'unknown',
          displayName: factory.org.signOnPolicy.ruleName,
          detailEntry: null,
        },
      ],
      sessionId: sid,
    }),
  );
  t += random.int(500, 3_000);
  out.push(
    factory.build({
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      published: t,
      actor,
      origin,
      target: [
        passwordTarget,
        {
          id: factory.org.dashboard.id,
          type: 'AppInstance',
          alternateId: factory.org.dashboard.label,
          displayName: factory.org.dashboard.label,
          detailEntry: null,
        },
      ],
      sessionId: sid,
      debugData: { requestUri: '/idp/idx/identify', url: '/idp/idx/identify?' },
    }),
  );
  t += random.int(2_000, 20_000);
  out.push(
    factory.build({
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      legacyEventType: 'core.user.factor.attempt_success',
      published: t,
      actor,
      origin,
      authenticationProvider: 'FACTOR_PROVIDER',
      credentialProvider: 'OKTA_CREDENTIAL_PROVIDER',
      target: [
        factory.userTarget(user),
        {
          id: user.oktaVerifyEnrollmentId,
          type: 'AuthenticatorEnrollment',
          alternateId: 'unknown',
          displayName: 'Okta Verify',
          detailEntry: {
            methodTypeUsed: 'Get a push notification',
            methodUsedVerifiedProperties: '[DEVICE_BOUND, HARDWARE_PROTECTED]',
          },
        },
      ],
      sessionId: sid,
      debugData: { factor: 'OKTA_VERIFY_PUSH' },
    }),
  );
  const apps = random.int(1, 4);
  for (let i = 0; i < apps; i++) {
    t += random.int(1, 40) * MINUTE;
    const app = random.pick(factory.org.apps);
    out.push(
      factory.build({
        eventType: 'user.authentication.sso',
        displayMessage: 'User single sign on to app',
        legacyEventType: 'app.auth.sso',
        published: t,
        actor,
        origin,
        target: [
          {
            id: app.id,
            type: 'AppInstance',
            alternateId: app.label,
            displayName: app.label,
            detailEntry: { signOnModeType: 'SAML_2_0' },
          },
        ],
        sessionId: sid,
      }),
    );
  }
  if (user.isAdmin && random.chance(0.6)) {
    t += random.int(1, 20) * MINUTE;
    out.push(
      factory.build({
        eventType: 'user.session.access_admin_app',
        displayMessage: 'User accessing Okta admin app',
        published: t,
        actor,
        origin,
        target: [
          {
            id: factory.org.adminConsole.id,
            type: 'AppInstance',
            alternateId: factory.org.adminConsole.label,
            displayName: factory.org.adminConsole.label,
            detailEntry: null,
          },
        ],
        sessionId: sid,
      }),
    );
  }
  return out;
}

function passwordChange(
  factory: EventFactory,
  user: SimUser,
  origin: SimOrigin,
  t: number,
  random: Random,
): OktaLogEvent {
  return factory.build({
    eventType: 'user.account.update_password',
    displayMessage: 'User update password for Okta',
    legacyEventType: 'core.user.config.password_update.success',
    published: t,
    actor: factory.userActor(user),
    origin,
    target: [factory.userTarget(user)],
    sessionId: sessionId(random),
  });
}
