import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, userEntity, type Detector } from './detector.js';
import { StateMap } from './state-map.js';

const WINDOW_MS = 60_000;
const DISTINCT_APPS = 10;

interface Opened {
  readonly app: string;
  readonly timeMs: number;
  readonly eventId: string;
}

/**
 * One user opening many different apps from the Okta dashboard within a minute (okta-catalog
 * rapid_application_access): after a session is stolen, the attacker opens everything they can
 * before it expires. Counts distinct AppInstance targets of successful IdP-initiated sign-ins.
 */
export class RapidAppAccessDetector implements Detector {
  readonly id = 'vigil-rapid-app-access';
  readonly title = 'Many applications opened within a minute';
  readonly #recent = new StateMap<Opened[]>({
    max: 100_000,
    keepMs: WINDOW_MS,
    timeOf: (opened) => opened.at(-1)?.timeMs ?? 0,
  });
  readonly #alertedUntil = new StateMap<number>({ max: 100_000, keepMs: 0, timeOf: (until) => until });
  readonly state = { recent: this.#recent, alertedUntil: this.#alertedUntil };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    if (event.eventType !== 'user.authentication.sso' || event.outcome?.result !== 'SUCCESS') return [];
    if (event.debugContext?.debugData?.['initiationType'] !== 'IDP_INITIATED' || event.actor.type !== 'User')
      return [];
    const app = event.target?.find((t) => t.type === 'AppInstance');
    if (!app) return [];
    const user = actorOf(event);
    const recent = (this.#recent.get(user.id) ?? []).filter((o) => timeMs - o.timeMs < WINDOW_MS);
    recent.push({ app: app.id, timeMs, eventId: event.uuid });
    this.#recent.set(user.id, recent);
    const apps = new Set(recent.map((o) => o.app));
    if (apps.size < DISTINCT_APPS || timeMs < (this.#alertedUntil.get(user.id) ?? 0)) return [];
    this.#alertedUntil.set(user.id, timeMs + WINDOW_MS);
    return [
      detectorHit(this, timeMs, {
        severity: 'medium',
        entity: userEntity(user),
        description: `${user.display} opened ${apps.size} different applications from the Okta dashboard within a minute. People do not; someone with a stolen session does, before it expires. Ask the user; if it was not them, end their sessions and check what was accessed in those apps.`,
        eventIds: recent.map((o) => o.eventId),
        dedupOn: [user.id],
      }),
    ];
  }
}
