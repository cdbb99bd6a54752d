import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, subjectUser, userEntity, type Detector } from './detector.js';
import { StateMap } from './state-map.js';

const CREDENTIAL_EVENTS = new Set([
  'user.mfa.factor.activate',
  'user.mfa.factor.update',
  'user.mfa.factor.reset_all',
  'user.mfa.factor.deactivate',
  'user.account.reset_password',
  'user.account.update_password',
]);

/**
 * The 2022 Sitel signal (okta-api.md §4.1): "a new factor was added to a support engineer's Okta
 * account" from a new location. A credential or factor change from a network (ASN) or country this
 * user has never been seen on before.
 */
export class NewLocationCredentialChangeDetector implements Detector {
  readonly id = 'vigil-credential-change-new-location';
  readonly title = 'Credential or factor changed from a network new for the user';
  // A baseline: kept for as long as the bound allows, not by age.
  readonly #places = new StateMap<Set<string>>({
    max: 200_000,
    codec: { encode: (s) => [...s], decode: (j) => new Set(j as string[]) },
  });
  readonly state = { places: this.#places };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    const asn = event.securityContext?.asNumber;
    const country = event.client?.geographicalContext?.country;
    if (event.actor.type !== 'User' || (asn == null && !country)) return [];
    const key = `${asn ?? '-'}|${country ?? '-'}`;
    const known = this.#places.get(event.actor.id);
    const isNew = known !== undefined && !known.has(key);
    // Only what the user actually did teaches us their places: failed attempts (a spray from a
    // hosting network) must not make the attacker's network look familiar.
    const succeeded = (event.outcome?.result ?? 'SUCCESS') === 'SUCCESS';
    if (succeeded) {
      if (known && !known.has(key)) {
        known.add(key);
        this.#places.touch(event.actor.id);
      } else if (!known) this.#places.set(event.actor.id, new Set([key]));
    }
    if (!CREDENTIAL_EVENTS.has(event.eventType) || !isNew) return [];
    const user = subjectUser(event) ?? actorOf(event);
    return [
      detectorHit(this, timeMs, {
        severity: 'high',
        entity: userEntity(user),
        description: `${event.eventType} for ${user.display} from ${event.client?.ipAddress ?? '?'} (AS${asn ?? '?'}, ${country ?? '?'}), a network this account has not used before. This is how the January 2022 Okta support compromise was first noticed. Confirm with the user out of band; if unknown, suspend the account and reset its factors.`,
        eventIds: [event.uuid],
        dedupOn: [user.id, key],
      }),
    ];
  }
}
