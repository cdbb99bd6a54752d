import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';

/**
 * A stateful detector for what Sigma cannot say (history per user or session). It sees events in
 * stream order and keeps bounded state; time comes from the events, never the wall clock.
 */
export interface Detector {
  readonly id: string;
  readonly title: string;
  process(event: OktaLogEvent, timeMs: number): Detection[];
}

/** The user an event is about: the first User target, else a User actor. */
export function subjectUser(event: OktaLogEvent): { id: string; display: string } | undefined {
  const target = event.target?.find((t) => t.type === 'User');
  if (target) return { id: target.id, display: target.alternateId ?? target.displayName ?? target.id };
  if (event.actor.type === 'User')
    return { id: event.actor.id, display: event.actor.alternateId ?? event.actor.id };
  return undefined;
}

/** A bounded map: the oldest keys go first once `max` is reached. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
