/** The alert tables (migrations/002-alerts.ts, 006-alert-outbox.ts), part of the one schema in database-schema.ts. */
export interface AlertsTable {
  id: string;
  rule_id: string;
  title: string;
  severity: string;
  entity_type: string;
  entity_id: string;
  entity_display: string | null;
  description: string;
  /** JSON array of event ids. */
  event_ids: string;
  dedup_key: string;
  source: string | null;
  status: string;
  count: number;
  // PostgreSQL drivers return bigint as string; readers convert with Number().
  first_seen_ms: number | string;
  last_seen_ms: number | string;
  created_ms: number | string;
  updated_ms: number | string;
  /** 1 when the alert was about events too old to push (first backfill): stored and listed, never sent. */
  held_back: number;
}

export interface AlertTransitionsTable {
  alert_id: string;
  seq: number;
  from_status: string;
  to_status: string;
  actor: string;
  at_ms: number | string;
  note: string | null;
}

/** Every rule that fired into one alert (the same story told by several rules), the first included. */
export interface AlertReasonsTable {
  alert_id: string;
  rule_id: string;
  title: string;
  description: string;
  severity: string;
  dedup_key: string;
  /** Position among the alert's reasons: 0 is the rule that opened it. */
  seq: number;
}

/** The outbox: one row per alert and sink, until delivered or expired. */
export interface AlertDeliveriesTable {
  alert_id: string;
  sink: string;
  /** `pending`, `delivered` or `expired`. */
  state: string;
  attempts: number;
  next_attempt_ms: number | string;
  expires_ms: number | string;
  created_ms: number | string;
  delivered_ms: number | string | null;
  /** The last failure's code and message (never a secret: sinks name themselves, not their URLs). */
  last_error: string | null;
}
