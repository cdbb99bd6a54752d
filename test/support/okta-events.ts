import type { Place } from '../../src/sim/org/places.js';
import type { SimDevice } from '../../src/sim/org/sim-org.js';
import type { OktaActor, OktaLogEvent, OktaTarget } from '../../src/sources/okta/log-event.js';

/**
 * Okta System Log events for tests (src/sources/okta/log-event.ts). The base event is a successful
 * sign-in by ann from HOME, with the fields Okta fills on a real one; a test names only what it is
 * about. Ids come from a counter and times from T0, so a test file builds the same events on every
 * run. Addresses are documentation ranges (RFC 5737).
 */

/** The time events default to: 2026-03-10T09:00:00Z. */
export const T0 = Date.parse('2026-03-10T09:00:00.000Z');

/** The Okta session every event belongs to unless it names another. */
export const DEFAULT_SESSION = 'idxT0DefaultSession00000001';

let sequence = 0;

/**
 * Where a request comes from: the address, the place and network Okta puts it in (the simulator's
 * `Place`, less what only the simulator uses), whether it is a proxy, and the browser.
 */
export type Origin = Omit<Place, 'utcOffset' | 'ipPrefix'> &
  Pick<SimDevice, 'rawUserAgent' | 'os' | 'browser'> & { readonly ip: string; readonly isProxy: boolean };

const CHROME_ON_MAC = {
  rawUserAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  os: 'Mac OS X',
  browser: 'CHROME',
};

/** The user's usual place: a home network in San Francisco, Chrome on a Mac. */
export const HOME: Origin = {
  ip: '198.51.100.14',
  city: 'San Francisco',
  state: 'California',
  country: 'United States',
  postalCode: '94107',
  lat: 37.7697,
  lon: -122.3933,
  asNumber: 7922,
  asOrg: 'comcast',
  isp: 'comcast cable communications llc',
  domain: 'comcast.net',
  isProxy: false,
  ...CHROME_ON_MAC,
};

/** London, about 8,600 km from HOME, on the same laptop: a trip, or one no one makes in minutes. */
export const ABROAD: Origin = {
  ip: '203.0.113.80',
  city: 'London',
  state: 'England',
  country: 'United Kingdom',
  postalCode: 'EC2V',
  lat: 51.5142,
  lon: -0.0931,
  asNumber: 5089,
  asOrg: 'virgin media',
  isp: 'virgin media limited',
  domain: 'virginmedia.com',
  isProxy: false,
  ...CHROME_ON_MAC,
};

/** A hosting network and a scripted client: how a stolen password or session cookie arrives. */
export const HOSTILE: Origin = {
  ip: '192.0.2.66',
  city: 'Amsterdam',
  state: 'North Holland',
  country: 'Netherlands',
  postalCode: '1012',
  lat: 52.374,
  lon: 4.8897,
  asNumber: 9009,
  asOrg: 'm247 europe srl',
  isp: 'm247 ltd',
  domain: 'm247.com',
  isProxy: false,
  rawUserAgent: 'curl/8.5.0',
  os: 'Unknown',
  browser: 'UNKNOWN',
};

/** An Okta user by short name: id `00u<name>`, login `<name>@example.com`. */
export const oktaUser = (name: string): OktaActor => ({
  id: `00u${name}`,
  type: 'User',
  alternateId: `${name}@example.com`,
  displayName: name.charAt(0).toUpperCase() + name.slice(1),
  detailEntry: null,
});

/** The same user as an event's target. */
export const userTarget = (name: string): OktaTarget => ({ ...oktaUser(name) });

/** An application (AppInstance) as an event's target. */
export const appTarget = (name: string): OktaTarget => ({
  id: `0oa${name}`,
  type: 'AppInstance',
  alternateId: name,
  displayName: name,
  detailEntry: null,
});

/** The `client` and `securityContext` Okta writes for a request from `origin`. */
export const requestFrom = (origin: Origin): Pick<OktaLogEvent, 'client' | 'securityContext'> => ({
  client: {
    device: 'Computer',
    id: null,
    ipAddress: origin.ip,
    zone: 'null',
    geographicalContext: {
      city: origin.city,
      state: origin.state,
      country: origin.country,
      postalCode: origin.postalCode,
      geolocation: { lat: origin.lat, lon: origin.lon },
    },
    userAgent: { rawUserAgent: origin.rawUserAgent, os: origin.os, browser: origin.browser },
  },
  securityContext: {
    asNumber: origin.asNumber,
    asOrg: origin.asOrg,
    isp: origin.isp,
    domain: origin.domain,
    isProxy: origin.isProxy,
  },
});

/**
 * What a test says about an event: any top-level field (it replaces the default whole), plus
 * `at` (epoch ms, for `published`), `from` (client and network), `session` (the external session
 * id) and `debugData` (added to the default debug data).
 */
export type EventSpec = Partial<OktaLogEvent> & {
  readonly at?: number;
  readonly from?: Origin;
  readonly session?: string;
  readonly debugData?: Record<string, unknown>;
};

/** One event: the base sign-in with `spec` applied. */
export function oktaEvent(spec: EventSpec = {}): OktaLogEvent {
  const { at = T0, from = HOME, session, debugData, ...fields } = spec;
  const n = ++sequence;
  const event: OktaLogEvent = {
    uuid: `3c2a9e00-1c2b-11f1-8000-${n.toString(16).padStart(12, '0')}`,
    published: new Date(at).toISOString(),
    eventType: 'user.session.start',
    version: '0',
    severity: 'INFO',
    actor: oktaUser('ann'),
    ...requestFrom(from),
    outcome: { result: 'SUCCESS', reason: null },
    authenticationContext: {
      authenticationProvider: null,
      authenticationStep: 0,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      externalSessionId: DEFAULT_SESSION,
      interface: null,
    },
    target: null,
    transaction: { type: 'WEB', id: `tx${n}`, detail: {} },
    debugContext: { debugData: { requestId: `req${n}`, threatSuspected: 'false' } },
    ...fields,
  };
  return {
    ...event,
    ...(session === undefined
      ? {}
      : { authenticationContext: { ...event.authenticationContext, externalSessionId: session } }),
    ...(debugData === undefined
      ? {}
      : { debugContext: { debugData: { ...event.debugContext?.debugData, ...debugData } } }),
  };
}

/** A sign-in to Okta (user.session.start) by user `name`: successful, or failed with a bad password. */
export const signIn = (
  name: string,
  options: { at?: number; from?: Origin; session?: string; result?: 'SUCCESS' | 'FAILURE' } = {},
): OktaLogEvent =>
  oktaEvent({
    eventType: 'user.session.start',
    displayMessage: 'User login to Okta',
    actor: oktaUser(name),
    at: options.at,
    from: options.from,
    session: options.session,
    outcome:
      options.result === 'FAILURE'
        ? { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }
        : { result: 'SUCCESS', reason: null },
  });
