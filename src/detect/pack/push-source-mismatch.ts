import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, sessionOf, userEntity, type Detector } from './detector.js';
import { StateMap } from './state-map.js';

interface PushRequest {
  readonly ip: string;
  readonly eventId: string;
  readonly timeMs: number;
}

/** How long after a push its approval still counts as the answer to it. */
const ANSWER_WINDOW_MS = 10 * 60_000;

const behaviorsOf = (event: OktaLogEvent): string => {
  const value = event.debugContext?.debugData?.['behaviors'];
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : '';
};

/**
 * An Okta Verify push asked for from a device or IP new to the user, then approved from somewhere
 * else (okta-catalog mismatch_between_source_and_response_okta_verify_push): someone holding the
 * password signed in from their own machine and the user approved the prompt on their phone. Only
 * new-device or new-IP requests are kept, so a user whose phone and laptop sit on different networks
 * every day stays quiet.
 */
export class PushSourceMismatchDetector implements Detector {
  readonly id = 'vigil-push-source-mismatch';
  readonly title = 'Push requested from a new device or IP, approved from elsewhere';
  readonly #requests = new StateMap<PushRequest>({
    max: 100_000,
    keepMs: ANSWER_WINDOW_MS,
    timeOf: (r) => r.timeMs,
  });
  readonly state = { requests: this.#requests };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    const seen = sessionOf(event);
    if (!seen) return [];
    const { id: session, ip } = seen;
    if (event.eventType === 'system.push.send_factor_verify_push') {
      const behaviors = behaviorsOf(event);
      if (behaviors.includes('New Device=POSITIVE') || behaviors.includes('New IP=POSITIVE'))
        this.#requests.set(session, { ip, eventId: event.uuid, timeMs });
      return [];
    }
    if (
      event.eventType !== 'user.authentication.auth_via_mfa' ||
      event.outcome?.result !== 'SUCCESS' ||
      event.debugContext?.debugData?.['factor'] !== 'OKTA_VERIFY_PUSH'
    )
      return [];
    const request = this.#requests.get(session);
    if (!request || timeMs - request.timeMs > ANSWER_WINDOW_MS || request.ip === ip) return [];
    this.#requests.delete(session);
    const user = actorOf(event);
    return [
      detectorHit(this, timeMs, {
        severity: 'high',
        entity: userEntity(user),
        description: `An Okta Verify push for ${user.display} was requested from ${request.ip}, a device or address new for them, and approved from ${ip}. The user may have approved a sign-in by someone holding their password. Ask the user; if it was not them, end the session, reset the password and review what the session did.`,
        eventIds: [request.eventId, event.uuid],
        dedupOn: [session],
      }),
    ];
  }
}
