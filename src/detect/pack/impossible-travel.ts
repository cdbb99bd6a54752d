import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, userEntity, type Detector } from './detector.js';
import { StateMap } from './state-map.js';

interface Fix {
  lat: number;
  lon: number;
  city: string;
  timeMs: number;
  eventId: string;
}

const EARTH_KM = 6371;
/** Faster than an airliner, with slack for geolocation error. */
const MAX_KMH = 1000;
const MIN_KM = 500;
/** No two points on Earth are more than about 20,040 km apart: at MAX_KMH, a fix older than a day can never fire. */
const KEEP_MS = 24 * 3_600_000;

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.sqrt(h));
}

/** Geo-velocity between a user's consecutive successful sign-ins, from each event's own geolocation. */
export class ImpossibleTravelDetector implements Detector {
  readonly id = 'vigil-impossible-travel';
  readonly title = 'Impossible travel between two sign-ins';
  readonly #last = new StateMap<Fix>({ max: 200_000, keepMs: KEEP_MS, timeOf: (f) => f.timeMs });
  readonly state = { last: this.#last };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    if (
      event.eventType !== 'user.session.start' ||
      event.outcome?.result !== 'SUCCESS' ||
      event.actor.type !== 'User'
    )
      return [];
    const geo = event.client?.geographicalContext?.geolocation;
    if (!geo) return [];
    const fix: Fix = {
      lat: geo.lat,
      lon: geo.lon,
      city: event.client?.geographicalContext?.city ?? '?',
      timeMs,
      eventId: event.uuid,
    };
    const previous = this.#last.get(event.actor.id);
    this.#last.set(event.actor.id, fix);
    if (!previous) return [];
    const km = distanceKm(previous, fix);
    const hours = Math.max(1 / 60, (fix.timeMs - previous.timeMs) / 3_600_000);
    if (km < MIN_KM || km / hours <= MAX_KMH) return [];
    const user = actorOf(event);
    return [
      detectorHit(this, timeMs, {
        severity: 'high',
        entity: userEntity(user),
        description: `${user.display} signed in from ${previous.city} and then from ${fix.city}, ${Math.round(km)} km apart in ${(hours * 60).toFixed(0)} minutes (${Math.round(km / hours)} km/h). Confirm with the user; if it was not them, clear their sessions and reset their factors.`,
        eventIds: [previous.eventId, event.uuid],
        dedupOn: [user.id],
      }),
    ];
  }
}
