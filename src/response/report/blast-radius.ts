import type { Kysely } from 'kysely';
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

/** Rows read per query page while scanning a window for indicators. */
const PAGE = 5_000;
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
  const inWindow = () =>
    db
      .selectFrom('events')
      .where('source', '=', incident.source)
      .where('published_ms', '>=', fromMs)
      .where('published_ms', '<', toMs);
  // 1. Every event of a category the report looks at (index events_type).
  keep(await inWindow().select(['raw', 'asn']).where('event_type', 'in', CATEGORIZED_TYPES).execute());
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
 * Events in the window that hit an indicator. Plain IPs and ASNs are looked up by column; a CIDR
 * needs every client IP of the window, and a user agent is found by text (case-insensitive, as
 * SQLite's LIKE is for ASCII), both read a page at a time so a large window never sits in memory.
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
  if (matcher.plainIps.length > 0)
    found.push(...(await base().select(['raw', 'asn']).where('client_ip', 'in', matcher.plainIps).execute()));
  if (matcher.asns.length > 0)
    found.push(...(await base().select(['raw', 'asn']).where('asn', 'in', matcher.asns).execute()));
  const agents = incident.iocs.filter((i) => i.kind === 'user-agent').map((i) => i.value);
  for (const agent of agents) {
    const literal = agent.replace(/[\\%_]/g, (c) => `\\${c}`);
    found.push(
      ...(await base()
        .select(['raw', 'asn'])
        .where((eb) => eb('raw', 'like', `%${literal}%`))
        .execute()
        .then((rows) => rows)),
    );
  }
  if (incident.iocs.some((i) => i.kind === 'cidr')) {
    // Page through the window by (published_ms, id): the events_published index serves both.
    let after: { ms: number; id: number } | undefined;
    for (;;) {
      let q = base().select(['id', 'published_ms', 'client_ip', 'asn']).where('client_ip', 'is not', null);
      if (after) {
        const { ms, id } = after;
        q = q.where((eb) =>
          eb.or([eb('published_ms', '>', ms), eb.and([eb('published_ms', '=', ms), eb('id', '>', id)])]),
        );
      }
      const rows = await q.orderBy('published_ms').orderBy('id').limit(PAGE).execute();
      const hitIds = rows
        .filter((r) => matcher.hits({ ips: [r.client_ip!], userAgent: null, asn: null }).length > 0)
        .map((r) => r.id);
      if (hitIds.length > 0)
        found.push(
          ...(await db.selectFrom('events').select(['raw', 'asn']).where('id', 'in', hitIds).execute()),
        );
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1]!;
      after = { ms: Number(last.published_ms), id: Number(last.id) };
    }
  }
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
    .where('event_type', '=', 'user.session.access_admin_app')
    .where('source', '=', source)
    .where('published_ms', '>=', fromMs)
    .where('published_ms', '<', toMs)
    .execute();
  return new Set(rows.flatMap((r) => (r.actor_id === null ? [] : [r.actor_id])));
}
