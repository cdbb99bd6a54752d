import { describe, expect, it } from 'vitest';
import { oktaLogEventSchema } from '../../src/sources/okta/log-event.js';
import {
  ABROAD,
  appTarget,
  DEFAULT_SESSION,
  HOME,
  HOSTILE,
  oktaEvent,
  oktaUser,
  signIn,
  T0,
  userTarget,
} from './okta-events.js';

describe('Okta event builders for tests', () => {
  it('build events the strict System Log schema accepts', () => {
    const events = [
      oktaEvent(),
      signIn('ann', { at: T0 + 60_000, from: ABROAD }),
      signIn('bob', { from: HOSTILE, session: 'idxOther', result: 'FAILURE' }),
      oktaEvent({
        eventType: 'user.authentication.sso',
        debugData: { initiationType: 'IDP_INITIATED' },
        target: [appTarget('wiki'), userTarget('ann')],
      }),
    ];
    for (const event of events) expect(oktaLogEventSchema.parse(event)).toEqual(event);
  });

  it('apply what a test names and keep the realistic rest', () => {
    const event = signIn('bob', { at: T0 + 60_000, from: HOSTILE, session: 'idxB', result: 'FAILURE' });
    expect(event).toMatchObject({
      eventType: 'user.session.start',
      published: '2026-03-10T09:01:00.000Z',
      actor: oktaUser('bob'),
      outcome: { result: 'FAILURE' },
      client: { ipAddress: HOSTILE.ip, userAgent: { rawUserAgent: HOSTILE.rawUserAgent } },
      securityContext: { asNumber: HOSTILE.asNumber },
      authenticationContext: { externalSessionId: 'idxB' },
    });
    const base = oktaEvent({ debugData: { factor: 'OKTA_VERIFY_PUSH' } });
    expect(base.client?.ipAddress).toBe(HOME.ip);
    expect(base.authenticationContext?.externalSessionId).toBe(DEFAULT_SESSION);
    expect(base.debugContext?.debugData).toMatchObject({
      factor: 'OKTA_VERIFY_PUSH',
      threatSuspected: 'false',
    });
    expect(oktaEvent({ client: null }).client).toBeNull();
  });

  it('number events from a counter: distinct uuids, the same on every run', () => {
    const a = oktaEvent();
    const b = oktaEvent();
    expect(a.uuid).not.toBe(b.uuid);
    expect(parseInt(b.uuid.slice(-12), 16)).toBe(parseInt(a.uuid.slice(-12), 16) + 1);
    expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
