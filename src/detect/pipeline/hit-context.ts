import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, subjectUser, userEntity, type Named } from '../pack/detector.js';
import type { TemplateValues } from '../sigma/alert-template.js';
import type { SigmaHit } from '../sigma/index.js';

/**
 * A string field's value when it says something: Okta writes `unknown` for a login it does not have
 * and the string `null` for no address. Custody keeps events of any shape, so a field may be of
 * another type; that counts as absent.
 */
const known = (v: unknown): string | undefined =>
  typeof v !== 'string' || v === '' || v === 'unknown' || v === 'null' ? undefined : v;

const isIpActor = (event: OktaLogEvent): boolean => event.actor.type === 'IP address';

const clientIp = (event: OktaLogEvent): string | undefined =>
  known(event.client?.ipAddress) ?? (isIpActor(event) ? known(event.actor.id) : undefined);

/** What a rule's title and description templates may name (sigma/alert-template.ts), from one event. */
export function templateValues(event: OktaLogEvent): TemplateValues {
  const target = event.target?.find(
    (t) => !/role/i.test(String(t.type)) && (known(t.alternateId) ?? known(t.displayName)),
  );
  const roleTarget = event.target?.find((t) => /role/i.test(String(t.type)));
  const role = known(event.debugContext?.debugData?.['privilegeGranted']) ?? known(roleTarget?.displayName);
  const ip = clientIp(event);
  const city = known(event.client?.geographicalContext?.city);
  const actor = isIpActor(event)
    ? undefined
    : (known(event.actor.alternateId) ?? known(event.actor.displayName));
  const values: Record<string, string> = {};
  if (actor) values['actor'] = actor;
  const targetName = target ? (known(target.alternateId) ?? known(target.displayName)) : undefined;
  if (targetName) values['target'] = targetName;
  if (role) values['role'] = role;
  if (ip) values['ip'] = ip;
  if (city) values['city'] = city;
  return values;
}

/**
 * Who a Sigma hit is about, named as a responder reads it: a user by login (the Okta id stays the
 * entity's id, so dedup keys do not change with a renamed login), an address by itself, else the org.
 * `event` is the hit's last event when it is at hand (a hit of the event being processed); `named`
 * the user remembered for that event otherwise (a correlation window closing later). A correlation
 * grouped by the actor names that user, one grouped by the client address names the address, and
 * ThreatInsight's events, whose actor is an IP address, name the address.
 */
export function hitEntity(
  hit: SigmaHit,
  event: OktaLogEvent | undefined,
  named: Named | null | undefined,
): Detection['entity'] {
  const keys = hit.group ? Object.keys(hit.group) : [];
  if (hit.group && keys.length > 0) {
    const [only] = keys;
    const value = hit.group[only!]!;
    if (keys.length === 1 && (only === 'actor.id' || only === 'actor.alternateId')) {
      if (event && !isIpActor(event)) return userEntity(actorOf(event));
      if (named && (named.id === value || named.display === value)) return userEntity(named);
    }
    if (keys.length === 1 && only === 'client.ipAddress') return { type: 'ip', id: value };
    return { type: keys.join(','), id: Object.values(hit.group).join(',') };
  }
  const user = event ? subjectUser(event) : (named ?? undefined);
  if (user) return userEntity(user);
  const ip = event && isIpActor(event) ? clientIp(event) : undefined;
  return ip ? { type: 'ip', id: ip } : { type: 'org', id: 'org' };
}
