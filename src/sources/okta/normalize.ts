import type { EventColumns } from '../event-columns.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v !== 'null' ? v : null);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The query columns of one Okta event. Reads defensively: the provider's JSON is hostile input and
 * fields may be null, absent or of a surprising type (Okta even sends the string "null").
 */
export function normalizeOktaEvent(event: Record<string, unknown>, publishedMs: number): EventColumns {
  const actor = obj(event['actor']);
  const client = obj(event['client']);
  const geo = obj(client['geographicalContext']);
  const outcome = obj(event['outcome']);
  const auth = obj(event['authenticationContext']);
  const security = obj(event['securityContext']);
  const transaction = obj(event['transaction']);
  const targets = Array.isArray(event['target']) ? event['target'].map(obj) : [];
  const join = (values: (string | null)[]) => values.filter((v): v is string => v !== null).join(' ') || null;
  return {
    provider_id: String(event['uuid']),
    published: String(event['published']),
    published_ms: publishedMs,
    event_type: String(event['eventType']),
    actor_id: str(actor['id']),
    actor_alternate_id: str(actor['alternateId']),
    actor_display_name: str(actor['displayName']),
    target_ids: join(targets.map((t) => str(t['id']))),
    target_names: join(targets.flatMap((t) => [str(t['alternateId']), str(t['displayName'])])),
    client_ip: str(client['ipAddress']),
    country: str(geo['country']),
    city: str(geo['city']),
    asn: typeof security['asNumber'] === 'number' ? security['asNumber'] : null,
    outcome_result: str(outcome['result']),
    outcome_reason: str(outcome['reason']),
    session_id: str(auth['externalSessionId']),
    root_session_id: str(auth['rootSessionId']),
    transaction_id: str(transaction['id']),
    severity: str(event['severity']),
  };
}
