import { z } from 'zod';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import { OktaApiError } from '../errors.js';

const body = z
  .object({
    actor: z.string().min(1).max(200),
    eventTypes: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
    on: z.boolean(),
  })
  .strict();

interface Suppression {
  readonly actor: string;
  readonly eventTypes: readonly string[] | null;
  /** Events published from this time on are left out (those from before were already written). */
  readonly from: number;
}

/**
 * Events a compromised provider still acts on but never writes to its System Log
 * (`POST /sim/log-suppression`): by actor (login or id) and, optionally, event type, from the
 * moment it is switched on.
 */
export class LogSuppression {
  #entries: Suppression[] = [];

  /** Whether the event may be written to the System Log. */
  admits(event: OktaLogEvent): boolean {
    const id = event.actor.id;
    const login = (event.actor.alternateId ?? '').toLowerCase();
    return !this.#entries.some(
      (s) =>
        Date.parse(event.published) >= s.from &&
        (s.actor === id || s.actor.toLowerCase() === login) &&
        (s.eventTypes === null || s.eventTypes.includes(event.eventType)),
    );
  }

  /** Applies a control request; 400 E0000001 naming the field for a bad body. */
  apply(input: unknown, now: number): void {
    const parsed = body.safeParse(input ?? {});
    if (!parsed.success) {
      const causes = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: log-suppression', causes);
    }
    const { actor, on } = parsed.data;
    const eventTypes = parsed.data.eventTypes ? [...parsed.data.eventTypes].sort() : null;
    const key = JSON.stringify([actor.toLowerCase(), eventTypes]);
    this.#entries = this.#entries.filter(
      (s) => JSON.stringify([s.actor.toLowerCase(), s.eventTypes]) !== key,
    );
    if (on) this.#entries.push({ actor, eventTypes, from: now });
  }

  describe(): { suppressions: { actor: string; eventTypes: readonly string[] | null }[] } {
    return { suppressions: this.#entries.map(({ actor, eventTypes }) => ({ actor, eventTypes })) };
  }
}
