import type { Random } from '../../core/seeded-random.js';
import type { OktaActor, OktaLogEvent, OktaTarget } from '../../sources/okta/log-event.js';
import { requestId, uuidV1 } from '../org/okta-ids.js';
import type { Place } from '../org/places.js';
import type { SimDevice, SimOrg, SimUser } from '../org/sim-org.js';

/** Where a request came from: the network, the address and the browser. */
export interface SimOrigin {
  readonly place: Place;
  readonly ip: string;
  readonly device: SimDevice;
  readonly isProxy?: boolean;
}

export interface EventSpec {
  readonly eventType: string;
  readonly displayMessage: string;
  readonly legacyEventType?: string | null;
  readonly severity?: OktaLogEvent['severity'];
  readonly published: number;
  readonly actor: OktaActor;
  /** Absent for system (JOB) events: Okta sends every client field as null then. */
  readonly origin?: SimOrigin;
  readonly outcome?: { result: string; reason?: string | null };
  readonly target?: readonly OktaTarget[] | null;
  readonly sessionId?: string | null;
  readonly transactionId?: string;
  readonly transactionDetail?: Record<string, unknown>;
  readonly debugData?: Record<string, unknown>;
  readonly authenticationProvider?: string | null;
  readonly credentialProvider?: string | null;
}

/**
 * Builds System Log events with Okta's exact shape (research/okta-api.md §2): every key present with
 * explicit nulls, `client.zone` as the string "null", `request.ipChain` empty for system events.
 */
export class EventFactory {
  constructor(
    readonly org: SimOrg,
    private readonly random: Random,
  ) {}

  userActor(user: SimUser): OktaActor {
    return {
      id: user.id,
      type: 'User',
      alternateId: user.login,
      displayName: user.displayName,
      detailEntry: null,
    };
  }

  userTarget(user: SimUser): OktaTarget {
    return {
      id: user.id,
      type: 'User',
      alternateId: user.login,
      displayName: user.displayName,
      detailEntry: null,
    };
  }

  systemActor(): OktaActor {
    return {
      id: this.org.systemPrincipalId,
      type: 'SystemPrincipal',
      alternateId: 'system@okta.com',
      displayName: 'Okta System',
      detailEntry: null,
    };
  }

  homeOrigin(user: SimUser, random: Random = this.random): SimOrigin {
    return { place: user.home, ip: random.pick(user.ips), device: random.pick(user.devices) };
  }

  build(spec: EventSpec): OktaLogEvent {
    const r = this.random;
    const published = Math.round(spec.published);
    const txId = spec.transactionId ?? requestId(r);
    const o = spec.origin;
    const geo = o
      ? {
          city: o.place.city,
          state: o.place.state,
          country: o.place.country,
          postalCode: o.place.postalCode,
          geolocation: { lat: o.place.lat, lon: o.place.lon },
        }
      : null;
    return {
      actor: spec.actor,
      authenticationContext: {
        authenticationProvider: spec.authenticationProvider ?? null,
        authenticationStep: 0,
        credentialProvider: spec.credentialProvider ?? null,
        credentialType: null,
        externalSessionId:
          spec.sessionId ?? (o ? 'unknown' : r.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789')),
        interface: null,
        issuer: null,
      },
      client: o
        ? {
            device: o.device.kind,
            geographicalContext: geo,
            id: null,
            ipAddress: o.ip,
            userAgent: { browser: o.device.browser, os: o.device.os, rawUserAgent: o.device.rawUserAgent },
            zone: 'null',
          }
        : { device: null, geographicalContext: null, id: null, ipAddress: null, userAgent: null, zone: null },
      debugContext: {
        debugData: o
          ? {
              requestId: txId,
              dtHash: r.hex(64),
              deviceFingerprint: o.device.fingerprint,
              threatSuspected: 'false',
              ...spec.debugData,
            }
          : { ...spec.debugData },
      },
      device: null,
      displayMessage: spec.displayMessage,
      eventType: spec.eventType,
      legacyEventType: spec.legacyEventType ?? null,
      outcome: { reason: spec.outcome?.reason ?? null, result: spec.outcome?.result ?? 'SUCCESS' },
      published: new Date(published).toISOString(),
      request: { ipChain: o ? [{ geographicalContext: geo, ip: o.ip, source: null, version: 'V4' }] : [] },
      securityContext: o
        ? {
            asNumber: o.place.asNumber,
            asOrg: o.place.asOrg,
            domain: o.place.domain,
            isProxy: o.isProxy ?? false,
            isp: o.place.isp,
          }
        : { asNumber: null, asOrg: null, domain: null, isProxy: null, isp: null },
      severity: spec.severity ?? 'INFO',
      target: spec.target === undefined ? null : spec.target === null ? null : [...spec.target],
      transaction: { detail: spec.transactionDetail ?? {}, id: txId, type: o ? 'WEB' : 'JOB' },
      uuid: uuidV1(r, published),
      version: '0',
    };
  }
}
