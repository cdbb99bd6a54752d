/** The alert tables (migrations/002-alerts.ts), part of the one schema in database-schema.ts. */
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
