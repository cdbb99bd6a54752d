import type { OktaLogEvent, OktaTarget } from '../../sources/okta/log-event.js';
import type { SimOrigin } from '../events/event-factory.js';
import { ipIn, oktaId, sessionId } from '../org/okta-ids.js';
import { HOSTILE_NETWORKS } from '../org/places.js';
import type { SimUser } from '../org/sim-org.js';
import type { ScenarioContext, ScenarioIoc } from './scenario.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Small building blocks the attack scenarios share: a clock that steps, hostile origins, targets. */
export class AttackKit {
  t: number;
  readonly events: OktaLogEvent[] = [];

  constructor(readonly ctx: ScenarioContext) {
    this.t = ctx.start;
  }

  after(minutes: number): number {
    this.t += Math.round(minutes * MINUTE);
    return this.t;
  }

  /** An address on a hosting or anonymizer network, with a browser the victim never used. */
  hostileOrigin(isProxy = false): SimOrigin {
    const place = this.ctx.random.pick(HOSTILE_NETWORKS);
    return {
      place,
      ip: ipIn(this.ctx.random, place.ipPrefix),
      isProxy,
      device: {
        rawUserAgent:
          'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.7113.93 Safari/537.36',
        os: 'Windows 10',
        browser: 'CHROME',
        kind: 'Computer',
        fingerprint: this.ctx.random.hex(32),
      },
    };
  }

  victim(index = 0): SimUser {
    const users = this.ctx.org.users.filter((u) => !u.isAdmin);
    return users[(index * 7) % users.length]!;
  }

  admin(): SimUser {
    return this.ctx.org.admins[0] ?? this.ctx.org.users[0]!;
  }

  newSession(): string {
    return sessionId(this.ctx.random);
  }

  adminConsoleTarget(): OktaTarget {
    const app = this.ctx.org.adminConsole;
    return {
      id: app.id,
      type: 'AppInstance',
      alternateId: app.label,
      displayName: app.label,
      detailEntry: null,
    };
  }

  newUserTarget(login: string): OktaTarget {
    return {
      id: oktaId(this.ctx.random, '00u'),
      type: 'User',
      alternateId: login,
      displayName: login,
      detailEntry: null,
    };
  }

  /**
   * A provider's published breach window placed around the simulated attack: whole UTC days, from
   * `daysBefore` days before the day of `anchorMs` to the end of the `daysAfter`th day after it
   * (the end is exclusive, as an incident's window is).
   */
  publishedWindow(anchorMs: number, daysBefore: number, daysAfter: number, basis: string) {
    const day = Math.floor(anchorMs / DAY) * DAY;
    return {
      from: new Date(day - daysBefore * DAY).toISOString(),
      to: new Date(day + (daysAfter + 1) * DAY).toISOString(),
      basis,
    };
  }

  /** The indicators the provider publishes for an attacker's origins: each address and user agent, once. */
  iocsOf(...origins: SimOrigin[]): ScenarioIoc[] {
    const ips = [...new Set(origins.map((o) => o.ip))].map((value) => ({ kind: 'ip' as const, value }));
    const agents = [...new Set(origins.map((o) => o.device.rawUserAgent))].map((value) => ({
      kind: 'user-agent' as const,
      value,
    }));
    return [...ips, ...agents];
  }

  push(event: OktaLogEvent): OktaLogEvent {
    this.events.push(event);
    return event;
  }
}
