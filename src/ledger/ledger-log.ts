/**
 * Which log a ledger record goes to. Each source has one log per kind of record (docs/design.md,
 * "Ledgers"): the provider's events in the log named after the source (as every store before kinds
 * existed), and every other kind in `<source>/<kind>`. Source names have no `/`, so the names never
 * collide. Each log is its own RFC 6962 tree with its own signed checkpoints and its own key, whose
 * name is the log's origin.
 */
export const LEDGER_KINDS = [
  'events',
  'config-snapshots',
  'canary-results',
  'actions',
  'audit',
  'support-tickets',
  'alerts',
  'detection-marks',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** The log of `source` for `kind`: `okta`, `okta/config-snapshots`, ... */
export function ledgerLog(source: string, kind: LedgerKind = 'events'): string {
  return kind === 'events' ? source : `${source}/${kind}`;
}

/**
 * The log's origin, which is also its signing key's name (c2sp.org/tlog-checkpoint: the key name
 * SHOULD equal the origin): `<instance>/<log>`, where `instance` names this Vigil installation
 * (default "vigil.local"; set a real host name so origins are globally unique).
 */
export function ledgerOrigin(log: string, instance = 'vigil.local'): string {
  return `${instance}/${log}`;
}

/** The source and kind a log name stands for; undefined for a name no `ledgerLog` call yields. */
export function parseLedgerLog(log: string): { source: string; kind: LedgerKind } | undefined {
  const slash = log.indexOf('/');
  if (slash === -1) return log === '' ? undefined : { source: log, kind: 'events' };
  const source = log.slice(0, slash);
  const kind = log.slice(slash + 1);
  if (source === '' || kind === 'events' || !(LEDGER_KINDS as readonly string[]).includes(kind))
    return undefined;
  return { source, kind: kind as LedgerKind };
}
