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

/**
 * A bounded map: once `max` is reached, the oldest tenth of the keys goes at once. Evicting one key
 * at a time through `keys().next()` would cost more with every eviction: V8 walks the slots of
 * deleted entries at the front of the table until it next rehashes.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      let evict = Math.max(1, Math.floor(this.max / 10));
      for (const oldest of this.keys()) {
        this.delete(oldest);
        if (--evict === 0) break;
      }
    }
    return super.set(key, value);
  }
}
