import type { IocSubject } from '../incident/ioc-matcher.js';
import type { CategorySubject } from './event-categories.js';

/** Who did it, as the event names them (`login` is the actor's alternate id: personal data). */
export interface CitedActor {
  readonly id: string;
  readonly login: string | null;
  readonly type: string;
}

export interface CitedTarget {
  readonly id: string;
  readonly type: string;
  /** The target's alternate id (a login for a user) or its display name. */
  readonly name: string | null;
}

/**
 * An event a report cites, named by the provider's id (`uuid`), with why it is cited: its
 * categories (event-categories.ts) and the indicators it hit (`ioc:<kind>:<value>`).
 */
export interface CitedEvent {
  readonly uuid: string;
  readonly published: string;
  readonly eventType: string;
  readonly outcome: string | null;
  readonly actor: CitedActor;
  readonly targets: readonly CitedTarget[];
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly why: readonly string[];
}

/** An event as read once from its verbatim JSON: what the report cites and what the matchers ask. */
export interface ReadEvent {
  readonly cited: Omit<CitedEvent, 'why'>;
  readonly category: CategorySubject;
  readonly ioc: IocSubject;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Reads the fields a report needs from a stored event's verbatim JSON. The event is hostile input:
 * every field is checked for its type, nothing else is trusted, and an event that is not an object
 * with a string `uuid` is skipped (undefined). `asn` comes from the stored query column.
 */
export function readEvent(raw: string, asn: number | null): ReadEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const e = obj(parsed);
  const uuid = str(e?.['uuid']);
  if (!e || uuid === null) return undefined;
  const actor = obj(e['actor']);
  const client = obj(e['client']);
  const request = obj(e['request']);
  const ip = str(client?.['ipAddress']);
  const userAgent = str(obj(client?.['userAgent'])?.['rawUserAgent']);
  const chain = Array.isArray(request?.['ipChain']) ? (request['ipChain'] as unknown[]) : [];
  const ips = [ip, ...chain.map((entry) => str(obj(entry)?.['ip']))].filter((x): x is string => x !== null);
  const targets = (Array.isArray(e['target']) ? (e['target'] as unknown[]) : []).flatMap((t) => {
    const target = obj(t);
    const id = str(target?.['id']);
    if (!target || id === null) return [];
    return [
      {
        id,
        type: str(target['type']) ?? 'unknown',
        name:
          str(target['alternateId']) === 'unknown'
            ? str(target['displayName'])
            : (str(target['alternateId']) ?? str(target['displayName'])),
      },
    ];
  });
  const eventType = str(e['eventType']) ?? 'unknown';
  const actorType = str(actor?.['type']);
  const actorLogin = str(actor?.['alternateId']);
  return {
    cited: {
      uuid,
      published: str(e['published']) ?? '',
      eventType,
      outcome: str(obj(e['outcome'])?.['result']),
      actor: { id: str(actor?.['id']) ?? 'unknown', login: actorLogin, type: actorType ?? 'unknown' },
      targets,
      ip,
      userAgent,
    },
    category: { eventType, actorType, actorLogin, hasClient: ips.length > 0 || userAgent !== null },
    ioc: { ips: [...new Set(ips)], userAgent, asn },
  };
}
