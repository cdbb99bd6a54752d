import { sql, type Kysely } from 'kysely';
import type { Runtime } from '../../runtime/runtime.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { Incident } from '../incident/incident.js';
import { IocMatcher } from '../incident/ioc-matcher.js';
import { readEvent, type CitedEvent, type ReadEvent } from './cited-event.js';
import { CATEGORIZED_TYPES, categorize, SUPPORT_CATEGORIES, type EventCategory } from './event-categories.js';
import { affectedPrincipals, type AffectedPrincipal } from './affected-principals.js';

export type { CitedEvent } from './cited-event.js';
export type { AffectedPrincipal, Remedy } from './affected-principals.js';

/**
 * What an incident touched, from the store alone (issue 17): every cited event by its provider id,
 * the people affected and what to do for each, and the support access, API tokens, identity
 * providers and policy changes in the window. The report, the containment plan (H4) and the drills
 * (H5) read it; fields are added, never changed.
 */
export interface BlastRadius {
  readonly incident: Incident;
  /** In published order. */
  readonly events: readonly CitedEvent[];
  readonly principals: readonly AffectedPrincipal[];
  readonly supportAccess: {
    /** `user.session.impersonation.grant` events: an admin let support in. */
    readonly grants: readonly string[];
    /** `user.session.impersonation.initiate` events: support came in. */
    readonly sessions: readonly string[];
  };
  readonly apiTokens: readonly { readonly id: string; readonly name: string | null; readonly uuid: string }[];
  readonly identityProviders: readonly { readonly id: string; readonly uuid: string }[];
  readonly policyChanges: readonly {
    readonly policyId: string;
    readonly ruleId?: string;
    readonly uuid: string;
  }[];
}

/** Addresses asked for per query. */
const PAGE = 500;
/** How far before the window an administrator's console sign-in still marks them as an admin. */
const ADMIN_LOOKBACK_MS = 30 * 86_400_000;

/** The blast radius of `incident`, from the runtime's store. */
export async function computeBlastRadius(runtime: Runtime, incident: Incident): Promise<BlastRadius> {
  return blastRadiusFromStore(runtime.store.db, incident);
}

/** The same over a database handle (the benchmark and the tests give one directly). */
export async function blastRadiusFromStore(
  db: Kysely<VigilDatabase>,
  incident: Incident,
): Promise<BlastRadius> {
  const fromMs = Date.parse(incident.from);
  const toMs = Date.parse(incident.to);
  const matcher = new IocMatcher(incident.iocs);
  const read = new Map<string, ReadEvent>();
  const keep = (rows: readonly { raw: string; asn: number | null }[]) => {
    for (const row of rows) {
      const event = readEvent(row.raw, row.asn);
      if (event && !read.has(event.cited.uuid)) read.set(event.cited.uuid, event);
    }
  };
  // 1. Every event of a category the report looks at, by index events_type (event_type,
  // published_ms). The source is checked on the rows: asked in the query, it steers the planner to
  // events_published, which reads every event of the window.
  keep(
    (
      await db
        .selectFrom('events')
        .select(['source', 'raw', 'asn'])
        .where('event_type', 'in', CATEGORIZED_TYPES)
        .where('published_ms', '>=', fromMs)
        .where('published_ms', '<', toMs)
        .execute()
    ).filter((r) => r.source === incident.source),
  );
  // 2. Every event that hits an indicator.
  if (!matcher.empty) keep(await indicatorHits(db, incident, matcher, fromMs, toMs));

  const cited: CitedEvent[] = [];
  const sessions = impersonationWindows([...read.values()]);
  for (const event of read.values()) {
    const categories: EventCategory[] = categorize(event.category);
    if (
      categories.length > 0 &&
      !categories.includes('support-performed') &&
      event.category.actorType === 'SystemPrincipal' &&
      !event.category.hasClient &&
      sessions.some(([start, end]) => event.cited.published >= start && event.cited.published <= end)
    )
      categories.unshift('support-performed'); // done by the support tool during an impersonation session
    const hits = matcher.hits(event.ioc);
    const inScope =
      incident.scope === 'all' ? categories.length > 0 : categories.some((c) => SUPPORT_CATEGORIES.has(c));
    if (inScope || hits.length > 0) cited.push({ ...event.cited, why: [...categories, ...hits] });
  }
  cited.sort((a, b) =>
    a.published < b.published ? -1 : a.published > b.published ? 1 : a.uuid < b.uuid ? -1 : 1,
  );

  const admins = await adminIds(db, incident.source, fromMs - ADMIN_LOOKBACK_MS, toMs);
  const targetsOf = (types: readonly string[], targetType: string) =>
    cited.flatMap((e) =>
      types.some((t) => e.eventType.startsWith(t))
        ? e.targets.filter((t) => t.type === targetType).map((t) => ({ target: t, uuid: e.uuid }))
        : [],
    );
  return {
    incident,
    events: cited,
    principals: affectedPrincipals(cited, admins),
    supportAccess: {
      grants: cited.filter((e) => e.eventType === 'user.session.impersonation.grant').map((e) => e.uuid),
      sessions: cited.filter((e) => e.eventType === 'user.session.impersonation.initiate').map((e) => e.uuid),
    },
    apiTokens: targetsOf(['system.api_token.'], 'Token').map(({ target, uuid }) => ({
      id: target.id,
      name: target.name,
      uuid,
    })),
    identityProviders: targetsOf(['system.idp.lifecycle.'], 'IdentityProvider').map(({ target, uuid }) => ({
      id: target.id,
      uuid,
    })),
    policyChanges: cited
      .filter((e) => e.eventType.startsWith('policy.'))
      .flatMap((e) => {
        const policy = e.targets.find((t) => t.type === 'PolicyEntity');
        const rule = e.targets.find((t) => t.type === 'PolicyRule');
        if (!policy && !rule) return [];
        return [{ policyId: policy?.id ?? 'unknown', ...(rule ? { ruleId: rule.id } : {}), uuid: e.uuid }];
      }),
  };
}

/**
 * Events in the window that hit an indicator. Addresses go by index events_ip: the plain IPs, and
 * for CIDRs the store's distinct client addresses (read from the index alone, no event row) that
 * fall in a range; the window and source are checked on the rows, so the planner keeps to that
 * index. ASNs and user agents have no index: the window's events are read for them, user agents in
 * one pass by text (case-insensitive, as SQLite's LIKE is for ASCII).
 */
async function indicatorHits(
  db: Kysely<VigilDatabase>,
  incident: Incident,
  matcher: IocMatcher,
  fromMs: number,
  toMs: number,
): Promise<{ raw: string; asn: number | null }[]> {
  const base = () =>
    db
      .selectFrom('events')
      .where('source', '=', incident.source)
      .where('published_ms', '>=', fromMs)
      .where('published_ms', '<', toMs);
  const found: { raw: string; asn: number | null }[] = [];
  const addresses = [...matcher.plainIps];
  if (incident.iocs.some((i) => i.kind === 'cidr')) {
    const distinct = await db
      .selectFrom('events')
      .select('client_ip')
      .distinct()
      .where('client_ip', 'is not', null)
      .execute();
    for (const { client_ip: ip } of distinct)
      if (ip !== null && matcher.hits({ ips: [ip], userAgent: null, asn: null }).length > 0)
        addresses.push(ip);
  }
  for (let i = 0; i < addresses.length; i += PAGE) {
    const rows = await db
      .selectFrom('events')
      .select(['source', 'published_ms', 'raw', 'asn'])
      .where('client_ip', 'in', addresses.slice(i, i + PAGE))
      .execute();
    for (const r of rows)
      if (r.source === incident.source && r.published_ms >= fromMs && r.published_ms < toMs)
        found.push({ raw: r.raw, asn: r.asn });
  }
  if (matcher.asns.length > 0)
    found.push(...(await base().select(['raw', 'asn']).where('asn', 'in', matcher.asns).execute()));
  const agents = incident.iocs.filter((i) => i.kind === 'user-agent').map((i) => i.value);
  if (agents.length > 0)
    found.push(
      ...(await base()
        .select(['raw', 'asn'])
        .where((eb) =>
          eb.or(
            agents.map(
              (agent) =>
                sql<boolean>`${sql.ref('raw')} like ${`%${agent.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`,
            ),
          ),
        )
        .execute()),
    );
  return found;
}

/** [initiate, end] published times of each support impersonation session (8 hours when no end is logged). */
function impersonationWindows(events: readonly ReadEvent[]): [string, string][] {
  const ordered = events
    .map((e) => e.cited)
    .filter((e) => e.eventType.startsWith('user.session.impersonation.'))
    .sort((a, b) => (a.published < b.published ? -1 : 1));
  const windows: [string, string][] = [];
  let open: string | undefined;
  for (const e of ordered) {
    if (e.eventType === 'user.session.impersonation.initiate') open ??= e.published;
    else if (e.eventType === 'user.session.impersonation.end' && open !== undefined) {
      windows.push([open, e.published]);
      open = undefined;
    }
  }
  if (open !== undefined) {
    const end = Date.parse(open) + 8 * 3_600_000;
    windows.push([open, Number.isFinite(end) ? new Date(end).toISOString() : open]);
  }
  return windows;
}

/** Users who acted as administrators: signed in to the admin console in or shortly before the window. */
async function adminIds(
  db: Kysely<VigilDatabase>,
  source: string,
  fromMs: number,
  toMs: number,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('events')
    .select('actor_id')
    .distinct()
    .select('source')
    .where('event_type', '=', 'user.session.access_admin_app')
    .where('published_ms', '>=', fromMs)
    .where('published_ms', '<', toMs)
    .execute();
  // The source is checked on the rows, so the query goes by index events_type (as above).
  return new Set(rows.flatMap((r) => (r.actor_id === null || r.source !== source ? [] : [r.actor_id])));
}
