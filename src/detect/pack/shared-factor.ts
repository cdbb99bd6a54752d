import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, type Detector } from './detector.js';
import { StateMap, type StateCodec } from './state-map.js';

interface Holders {
  readonly users: Map<string, string>; // actor id → display
  readonly eventIds: string[];
  alerted: boolean;
}

const HOLDERS: StateCodec<Holders> = {
  encode: (h) => ({ users: [...h.users], eventIds: h.eventIds, alerted: h.alerted }),
  decode: (j) => {
    const saved = j as { users: [string, string][]; eventIds: string[]; alerted: boolean };
    return { users: new Map(saved.users), eventIds: saved.eventIds, alerted: saved.alerted };
  },
};

/**
 * One phone number or one device registered by two different users (okta-catalog
 * phone_number_registered_to_multiple_users, device_registered_to_multiple_users). An attacker who
 * takes over several accounts enrolls the same phone or device as their factor on each. The phone
 * is the `MobilePhone` target of an SMS verification; the device is the target's `oktaDeviceId`.
 */
export class SharedFactorDetector implements Detector {
  readonly id = 'vigil-shared-factor';
  readonly title = 'One phone or device registered by several users';
  // A baseline: kept for as long as the bound allows, not by age.
  readonly #holders = new StateMap<Holders>({ max: 200_000, codec: HOLDERS });
  readonly state = { holders: this.#holders };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    const factor = this.#factorOf(event);
    if (!factor || event.actor.type !== 'User') return [];
    let holders = this.#holders.get(factor.key);
    if (!holders)
      this.#holders.set(factor.key, (holders = { users: new Map(), eventIds: [], alerted: false }));
    if (holders.users.has(event.actor.id)) return [];
    holders.users.set(event.actor.id, actorOf(event).display);
    holders.eventIds.push(event.uuid);
    this.#holders.touch(factor.key);
    if (holders.users.size < 2 || holders.alerted) return [];
    holders.alerted = true;
    const who = [...holders.users.values()].join(' and ');
    return [
      detectorHit(this, timeMs, {
        severity: factor.kind === 'phone' ? 'high' : 'medium',
        entity: { type: factor.kind, id: factor.id },
        description: `The same ${factor.kind} (${factor.id}) was registered by ${who}. People do not share a phone or a device as their second factor; an attacker who took over several accounts enrolls their own on each. Ask each user; remove the factor from the accounts it does not belong to.`,
        eventIds: [...holders.eventIds],
        dedupOn: [factor.key],
      }),
    ];
  }

  #factorOf(event: OktaLogEvent): { kind: 'phone' | 'device'; id: string; key: string } | undefined {
    if (event.eventType === 'system.sms.send_phone_verification_message') {
      const phone = event.target?.find((t) => t.type === 'MobilePhone')?.id;
      return phone ? { kind: 'phone', id: phone, key: `phone:${phone}` } : undefined;
    }
    if (event.eventType === 'device.user.add') {
      for (const t of event.target ?? []) {
        const detail = t.detailEntry;
        const id =
          detail && typeof detail === 'object'
            ? (detail as Record<string, unknown>)['oktaDeviceId']
            : undefined;
        if (typeof id === 'string' && id !== '') return { kind: 'device', id, key: `device:${id}` };
      }
    }
    return undefined;
  }
}
