/**
 * The query columns kept beside every stored event, whatever its provider: a source adapter
 * normalizes its provider's events into these, and `vigil verify` re-derives them from the verbatim
 * event. Searches, reports and detection read them; the verbatim event stays the evidence.
 */
export interface EventColumns {
  provider_id: string;
  published: string;
  published_ms: number;
  event_type: string;
  actor_id: string | null;
  actor_alternate_id: string | null;
  actor_display_name: string | null;
  /** Space-separated target ids and, separately, display names/alternate ids, for search. */
  target_ids: string | null;
  target_names: string | null;
  client_ip: string | null;
  country: string | null;
  city: string | null;
  asn: number | null;
  outcome_result: string | null;
  outcome_reason: string | null;
  session_id: string | null;
  root_session_id: string | null;
  transaction_id: string | null;
  severity: string | null;
}

/** The columns in the order a positional insert binds them. */
export const EVENT_COLUMN_NAMES = [
  'provider_id',
  'published',
  'published_ms',
  'event_type',
  'actor_id',
  'actor_alternate_id',
  'actor_display_name',
  'target_ids',
  'target_names',
  'client_ip',
  'country',
  'city',
  'asn',
  'outcome_result',
  'outcome_reason',
  'session_id',
  'root_session_id',
  'transaction_id',
  'severity',
] as const satisfies readonly (keyof EventColumns)[];
