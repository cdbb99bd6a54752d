import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import type { Severity } from '../severity.js';
import type { KeyedState } from './state-map.js';

/**
 * A stateful detector for what Sigma cannot say (history per user or session). It sees events in
 * stream order and keeps bounded state; time comes from the events, never the wall clock.
 */
export interface Detector {
  readonly id: string;
  readonly title: string;
  process(event: OktaLogEvent, timeMs: number): Detection[];
  /** What it remembers between events, by name: the feed saves it with its mark and loads it at start. */
  readonly state?: Readonly<Record<string, KeyedState>>;
}

/** Someone a detection names: a stable id, and what a responder reads (a login, else the id). */
export interface Named {
  readonly id: string;
  readonly display: string;
}

/** Who acted: the actor's id, shown by its login (alternateId) when Okta gives one. */
export const actorOf = (event: OktaLogEvent): Named => ({
  id: event.actor.id,
  display: event.actor.alternateId ?? event.actor.id,
});

/** The user an event is about: the first User target, else a User actor. */
export function subjectUser(event: OktaLogEvent): Named | undefined {
  const target = event.target?.find((t) => t.type === 'User');
  if (target) return { id: target.id, display: target.alternateId ?? target.displayName ?? target.id };
  if (event.actor.type === 'User') return actorOf(event);
  return undefined;
}

/**
 * The Okta session an event belongs to and the address it came from, when Okta recorded both: it
 * writes `"unknown"` for no session and the string `"null"` for no address.
 */
export function sessionOf(event: OktaLogEvent): { id: string; ip: string } | undefined {
  const id = event.authenticationContext?.externalSessionId;
  const ip = event.client?.ipAddress;
  return !id || id === 'unknown' || !ip || ip === 'null' ? undefined : { id, ip };
}

/** A detection's entity for a user. */
export const userEntity = (user: Named): Detection['entity'] => ({
  type: 'user',
  id: user.id,
  display: user.display,
});

/** What one hit of a stateful detector says; the rest of its `Detection` comes from the detector. */
export interface DetectorHit {
  readonly severity: Severity;
  readonly entity: Detection['entity'];
  readonly description: string;
  readonly eventIds: readonly string[];
  /** What makes two hits one alert, after the rule id: the dedup key is `ruleId:part:part…`. */
  readonly dedupOn: readonly string[];
}

/** The `Detection` for one hit of `detector` at `timeMs` (the triggering event's time). */
export function detectorHit(
  detector: Pick<Detector, 'id' | 'title'>,
  timeMs: number,
  hit: DetectorHit,
): Detection {
  return {
    ruleId: detector.id,
    title: detector.title,
    severity: hit.severity,
    entity: hit.entity,
    description: hit.description,
    eventIds: hit.eventIds,
    timeMs,
    dedupKey: [detector.id, ...hit.dedupOn].join(':'),
  };
}
