import type { CitedEvent } from './cited-event.js';

/** What to do for an affected person (issue 17: reset, re-enrol, review sessions). */
export type Remedy =
  'reset-password' | 'reset-factors' | 'clear-sessions' | 'review-admin-grants' | 'suspend';
const REMEDY_ORDER: readonly Remedy[] = [
  'clear-sessions',
  'reset-password',
  'reset-factors',
  'review-admin-grants',
  'suspend',
];

/** A user or admin the incident touched: what happened to them, by whom, from where, what to do. */
export interface AffectedPrincipal {
  readonly id: string;
  /** Their login (personal data: a report shows it as a token unless revealed). */
  readonly login: string | null;
  readonly admin: boolean;
  /** The cited events that touched them, by uuid, in published order. */
  readonly happened: readonly string[];
  /** Who did it: the actors' logins (or ids when they have none). */
  readonly by: readonly string[];
  /** From where: the client IPs of those events. */
  readonly from: readonly string[];
  readonly recommended: readonly Remedy[];
}

/** The remedies an event calls for, for the user it targeted. */
function remediesFor(event: CitedEvent): Remedy[] {
  const t = event.eventType;
  if (t === 'user.account.reset_password' || t === 'user.account.update_password')
    return ['reset-password', 'clear-sessions'];
  if (t.startsWith('user.mfa.') || t === 'system.mfa.factor.deactivate')
    return ['reset-factors', 'clear-sessions'];
  if (t.endsWith('privilege.grant')) return ['review-admin-grants'];
  if (t.startsWith('user.session.impersonation.')) return ['clear-sessions', 'review-admin-grants'];
  if (t === 'user.lifecycle.create') return ['suspend'];
  if (event.why.includes('session-anomaly')) return ['clear-sessions'];
  return [];
}

const ADMIN_ONLY =
  /^(user\.session\.impersonation\.grant|system\.api_token\.|system\.idp\.|policy\.|application\.lifecycle\.|event_hook\.|inline_hook\.|user\.account\.privilege\.grant|group\.privilege\.grant)/;

/**
 * Groups cited events by the users they touched. A user is touched when an event targets them, and
 * when they are the actor of an event that hit an indicator (their account was used from the
 * attacker's network: clear their sessions, reset password and factors). `admins` are users known
 * to have used the admin console; anyone granted admin rights or acting as an admin in a cited event
 * is one too.
 */
export function affectedPrincipals(
  events: readonly CitedEvent[],
  admins: ReadonlySet<string>,
): AffectedPrincipal[] {
  interface Acc {
    id: string;
    login: string | null;
    admin: boolean;
    happened: string[];
    by: Set<string>;
    from: Set<string>;
    recommended: Set<Remedy>;
  }
  const byId = new Map<string, Acc>();
  const touch = (id: string, login: string | null, event: CitedEvent, remedies: readonly Remedy[]) => {
    let acc = byId.get(id);
    if (!acc) {
      acc = {
        id,
        login,
        admin: admins.has(id),
        happened: [],
        by: new Set(),
        from: new Set(),
        recommended: new Set(),
      };
      byId.set(id, acc);
    }
    acc.login ??= login;
    if (acc.happened.at(-1) !== event.uuid) acc.happened.push(event.uuid);
    acc.by.add(event.actor.login ?? event.actor.id);
    if (event.ip) acc.from.add(event.ip);
    for (const r of remedies) acc.recommended.add(r);
    if (remedies.includes('review-admin-grants') && event.eventType.endsWith('privilege.grant'))
      acc.admin = true;
  };
  for (const event of events) {
    const remedies = remediesFor(event);
    for (const target of event.targets)
      if (target.type === 'User') touch(target.id, target.name, event, remedies);
    const hit = event.why.some((w) => w.startsWith('ioc:'));
    if (event.actor.type === 'User' && hit)
      touch(event.actor.id, event.actor.login, event, ['clear-sessions', 'reset-password', 'reset-factors']);
  }
  // An admin acting in a cited event is an admin, whether or not the event touched them.
  const actingAdmins = new Set(
    events.filter((e) => e.actor.type === 'User' && ADMIN_ONLY.test(e.eventType)).map((e) => e.actor.id),
  );
  return [...byId.values()]
    .map((acc) => {
      const admin = acc.admin || actingAdmins.has(acc.id);
      const recommended = new Set(acc.recommended);
      if (admin && recommended.size > 0) recommended.add('review-admin-grants');
      return {
        id: acc.id,
        login: acc.login,
        admin,
        happened: acc.happened,
        by: [...acc.by].sort(),
        from: [...acc.from].sort(),
        recommended: REMEDY_ORDER.filter((r) => recommended.has(r)),
      };
    })
    .sort((a, b) => (a.admin === b.admin ? (a.id < b.id ? -1 : 1) : a.admin ? -1 : 1));
}
