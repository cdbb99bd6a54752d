import type { OktaActor, OktaLogEvent, OktaTarget } from '../../sources/okta/log-event.js';
import type { EventFactory, EventSpec } from '../events/event-factory.js';
import { PLACES } from '../org/places.js';
import type { AuthnUser } from './authn-users.js';

/** Who called: the address the simulator saw, the user agent sent and the path called. */
export interface AuthnRequest {
  readonly ip: string;
  readonly userAgent: string;
  readonly path: string;
}

export type AuthnEventSpec = Omit<EventSpec, 'published' | 'origin'>;

/**
 * Writes the System Log events of the authn path, with the request's client address and user agent
 * (the simulator does no geolocation: `geographicalContext` and `securityContext` are null, as Okta
 * sends them for addresses it cannot place), through `emit`.
 */
export class AuthnEvents {
  constructor(
    readonly factory: EventFactory,
    private readonly now: () => number,
    private readonly emit: (event: OktaLogEvent) => void,
  ) {}

  actorOf(user: AuthnUser | undefined, username: string): OktaActor {
    return user
      ? {
          id: user.id,
          type: 'User',
          alternateId: user.login,
          displayName: `${user.firstName} ${user.lastName}`,
          detailEntry: null,
        }
      : { id: 'unknown', type: 'User', alternateId: username, displayName: 'unknown', detailEntry: null };
  }

  userTarget(user: AuthnUser): OktaTarget {
    return { ...this.actorOf(user, user.login) };
  }

  /** An event of Okta's own making (a JOB: no client). */
  writeSystem(spec: AuthnEventSpec): void {
    this.emit(this.factory.build({ ...spec, published: this.now() }));
  }

  write(request: AuthnRequest, spec: AuthnEventSpec): void {
    const device = {
      rawUserAgent: request.userAgent,
      os: 'Unknown',
      browser: 'UNKNOWN',
      kind: 'Computer' as const,
      fingerprint: '',
    };
    const built = this.factory.build({
      ...spec,
      published: this.now(),
      origin: { place: PLACES[0]!, ip: request.ip, device },
      debugData: { requestUri: request.path, url: `${request.path}?`, ...spec.debugData },
    });
    const { deviceFingerprint: _fingerprint, ...debugData } = built.debugContext?.debugData ?? {};
    this.emit({
      ...built,
      client: {
        ...built.client!,
        device: 'Unknown',
        geographicalContext: null,
        userAgent: { rawUserAgent: request.userAgent, os: 'Unknown', browser: 'UNKNOWN' },
      },
      debugContext: { debugData },
      request: {
        ipChain: [
          {
            ip: request.ip,
            geographicalContext: null,
            source: null,
            version: request.ip.includes(':') ? 'V6' : 'V4',
          },
        ],
      },
      securityContext: { asNumber: null, asOrg: null, domain: null, isProxy: null, isp: null },
    });
  }
}
