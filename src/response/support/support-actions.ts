import { sql, type Kysely } from 'kysely';
import type { VigilDatabase } from '../../store/database-schema.js';
import { readEvent } from '../report/cited-event.js';
import { CATEGORIZED_TYPES, categorize } from '../report/event-categories.js';
import type { SupportScope } from './support-ticket.js';

/** What support did or was let do, as one System Log event says it. */
export type SupportActionKind =
  /** An admin granted (or extended) support access: the customer's side, which should name a case. */
  | 'grant'
  | 'extend'
  /** Support started or ended an impersonation session. */
  | 'initiate'
  | 'end'
  /** `support.org.view` / `support.org.update`. */
  | 'view'
  | 'update'
  /** A password or factor change made through the support tool (actor Okta System, no client). */
  | 'credentials'
  /** Another change made by Okta System with no client while an impersonation session was open. */
  | 'in-session';

export interface SupportAction {
  /** The provider's event id. */
  readonly uuid: string;
  readonly published: string;
  readonly eventType: string;
  readonly kind: SupportActionKind;
  /** The ticket scope the action needs; null for the customer's own grant or extension. */
  readonly scope: SupportScope | null;
  /** The case the event names (a `CaseNumber` target or `debugData.caseNumber`), if any. */
  readonly caseNumber: string | null;
  /** Who, by id (the support tool is Okta System). */
  readonly actorId: string;
  /** Ids of the users and objects it was done to. */
  readonly targetIds: readonly string[];
}

const LIFECYCLE: Record<string, SupportActionKind | undefined> = {
  'user.session.impersonation.grant': 'grant',
  'user.session.impersonation.extend': 'extend',
  'user.session.impersonation.initiate': 'initiate',
  'user.session.impersonation.end': 'end',
  'support.org.view': 'view',
  'support.org.update': 'update',
};

const SCOPE_OF: Record<SupportActionKind, SupportScope | null> = {
  grant: null,
  extend: null,
  initiate: 'impersonation',
  end: 'impersonation',
  view: 'view',
  update: 'update',
  credentials: 'credentials',
  'in-session': 'update',
};

/** An impersonation session with no logged end counts as open this long (Okta's org-wide grant). */
const SESSION_MS = 8 * 3_600_000;
const CASE = /^[0-9]{1,32}$/;

/**
 * Every support-performed action of `source` in [fromMs, toMs), oldest first (okta-api.md §3 and
 * §4.3): the impersonation lifecycle (revocations are the customer ending access and need no
 * ticket), `support.org.*`, credential changes made through the support tool, and any other change
 * Okta System made with no client while an impersonation session was open. Uses the same reading
 * and categories as the blast-radius report, so the two never disagree on what support did.
 */
export async function supportActions(
  db: Kysely<VigilDatabase>,
  source: string,
  fromMs: number,
  toMs: number,
): Promise<SupportAction[]> {
  // Sessions that opened before the window still cover what happens in it. Support's event types
  // are rare: the (type, published) index finds them; `+source` keeps SQLite from reading the whole
  // window through the source's index instead (a week of a large org is hundreds of thousands of rows).
  const rows = await db
    .selectFrom('events')
    .select(['raw', 'asn'])
    .where(sql.raw('+source'), '=', source)
    .where('published_ms', '>=', fromMs - SESSION_MS)
    .where('published_ms', '<', toMs)
    .where('event_type', 'in', CATEGORIZED_TYPES)
    .orderBy('published_ms')
    .orderBy('id')
    .execute();
  const sessions: [number, number][] = [];
  let open: number | undefined;
  const read = rows.flatMap((r) => {
    const e = readEvent(r.raw, r.asn);
    return e ? [{ e, raw: r.raw }] : [];
  });
  for (const { e } of read) {
    const at = Date.parse(e.cited.published);
    if (e.cited.eventType === 'user.session.impersonation.initiate') open ??= at;
    if (e.cited.eventType === 'user.session.impersonation.end' && open !== undefined) {
      sessions.push([open, at]);
      open = undefined;
    }
  }
  if (open !== undefined) sessions.push([open, open + SESSION_MS]);

  const out: SupportAction[] = [];
  for (const { e, raw } of read) {
    const at = Date.parse(e.cited.published);
    if (!(at >= fromMs && at < toMs)) continue;
    const categories = categorize(e.category);
    const bySystem = e.category.actorType === 'SystemPrincipal' && !e.category.hasClient;
    const kind: SupportActionKind | undefined =
      LIFECYCLE[e.cited.eventType] ??
      (categories.includes('support-performed')
        ? 'credentials'
        : bySystem && categories.length > 0 && sessions.some(([s, t]) => at >= s && at <= t)
          ? 'in-session'
          : undefined);
    if (kind === undefined) continue;
    out.push({
      uuid: e.cited.uuid,
      published: e.cited.published,
      eventType: e.cited.eventType,
      kind,
      scope: SCOPE_OF[kind],
      caseNumber: caseNumberOf(raw, e.cited.targets),
      actorId: e.cited.actor.id,
      targetIds: e.cited.targets.filter((t) => t.type !== 'CaseNumber').map((t) => t.id),
    });
  }
  return out;
}

/**
 * The case an event names: a `CaseNumber` target (the form a published sample of the grant event
 * has, posture-ecosystem.md §2) or `debugContext.debugData.caseNumber`.
 */
function caseNumberOf(raw: string, targets: readonly { id: string; type: string }[]): string | null {
  const target = targets.find((t) => t.type === 'CaseNumber' && CASE.test(t.id));
  if (target) return target.id;
  try {
    const debug = (JSON.parse(raw) as { debugContext?: { debugData?: { caseNumber?: unknown } } })
      .debugContext?.debugData?.caseNumber;
    if (typeof debug === 'string' && CASE.test(debug)) return debug;
    if (typeof debug === 'number' && Number.isSafeInteger(debug) && debug >= 0) return String(debug);
  } catch {
    // readEvent already parsed it; a raw that does not parse again has no case to give.
  }
  return null;
}
