import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, sessionOf, type Detector } from './detector.js';
import { StateMap } from './state-map.js';
import { StringInterner } from '../interner.js';

interface SessionSeen {
  ip: string;
  asn: number | null;
  userAgent: string | null;
  eventId: string;
  timeMs: number;
}

/**
 * How long a session is remembered after it was first seen. Okta lets an admin set a session's
 * maximum lifetime up to 90 days, but replaying a cookie weeks old is rare; a month bounds the state.
 */
const KEEP_MS = 30 * 86_400_000;

/**
 * The 2023 HAR-file attack (okta-api.md §4.4): a stolen session cookie replayed from another network.
 * One `externalSessionId` first seen from one IP/ASN/user agent, later used from a different ASN and a
 * different user agent, is a hijacked session.
 */
export class SessionReuseDetector implements Detector {
  readonly id = 'vigil-session-reuse';
  readonly title = 'Okta session reused from a new network and browser';
  /**
   * Sessions of one person mostly share an address and a browser: each is kept once, not once per
   * session (a user agent is about 150 characters; a thousand people's 17,000 sessions held 17,000
   * copies).
   */
  readonly #shared = new StringInterner(20_000);
  readonly #sessions = new StateMap<SessionSeen>({
    max: 200_000,
    keepMs: KEEP_MS,
    timeOf: (s) => s.timeMs,
    codec: {
      encode: (seen) => seen,
      decode: (json) => {
        const seen = json as SessionSeen;
        return { ...seen, ip: this.#shared.string(seen.ip), userAgent: this.#shared.string(seen.userAgent) };
      },
    },
  });
  readonly state = { sessions: this.#sessions };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    const session = sessionOf(event);
    if (!session || event.actor.type !== 'User') return [];
    const { id: sid, ip } = session;
    const seen: SessionSeen = {
      ip: this.#shared.string(ip),
      asn: event.securityContext?.asNumber ?? null,
      userAgent: this.#shared.string(event.client?.userAgent?.rawUserAgent ?? null),
      eventId: event.uuid,
      timeMs,
    };
    const first = this.#sessions.get(sid);
    if (!first) {
      this.#sessions.set(sid, seen);
      return [];
    }
    const newNetwork =
      first.asn !== null && seen.asn !== null ? first.asn !== seen.asn : first.ip !== seen.ip;
    const newAgent = first.userAgent !== seen.userAgent;
    if (!newNetwork || !newAgent) return [];
    this.#sessions.set(sid, seen);
    const who = actorOf(event).display;
    return [
      detectorHit(this, timeMs, {
        severity: 'critical',
        entity: { type: 'session', id: sid, display: who },
        description:
          `Session ${sid} of ${who} began from ${first.ip} (AS${first.asn ?? '?'}) ` +
          `and was used from ${seen.ip} (AS${seen.asn ?? '?'}) with another browser. A copied session cookie is the likely cause ` +
          `(the 2023 Okta support-file theft). Clear the user's sessions (user.session.clear), review everything the session did, and rotate any API token it created.`,
        eventIds: [first.eventId, event.uuid],
        dedupOn: [sid, seen.ip],
      }),
    ];
  }
}
