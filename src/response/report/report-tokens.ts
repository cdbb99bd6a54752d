import { PII_TOKEN, type PiiTokenizer } from '../../privacy/pii-tokenizer.js';
import type { IncidentReport } from './incident-report.js';

/** The support tool's account: a role, not a person; it stays readable in a tokenised report. */
const SUPPORT_TOOL = 'system@okta.com';
/** An Okta object id (`00u…`): not personal data by itself, and how the team finds the user in Okta. */
const OKTA_ID = /^[0-9A-Za-z]{20}$/;

/**
 * The report with personal data as stable tokens (the default; `--reveal` skips this): logins,
 * user names and IPs in the structured fields by their kind, then every email or IP left anywhere
 * in free text. Provider ids, event types, user agents, geography and the proofs stay.
 */
export function tokenizeReport(report: IncidentReport, tokenizer: PiiTokenizer): IncidentReport {
  const user = (login: string | null) =>
    login === null || login === SUPPORT_TOOL || PII_TOKEN.test(login)
      ? login
      : tokenizer.token('user', login);
  const ip = (address: string | null) => (address === null ? null : tokenizer.token('ip', address));
  const structured: IncidentReport = {
    ...report,
    header: { ...report.header, revealed: false },
    timeline: report.timeline.map((e) => ({
      ...e,
      actor: { ...e.actor, login: e.actor.type === 'SystemPrincipal' ? e.actor.login : user(e.actor.login) },
      targets: e.targets.map((t) => (t.type === 'User' ? { ...t, name: user(t.name) } : t)),
      ip: ip(e.ip),
    })),
    blastRadius: {
      ...report.blastRadius,
      principals: report.blastRadius.principals.map((p) => ({
        ...p,
        login: user(p.login),
        by: p.by.map((b) => (OKTA_ID.test(b) ? b : user(b)!)),
        from: p.from.map((a) => ip(a)!),
      })),
    },
    actions: report.actions.map((a) => ({ ...a, record: tokenizer.tokenizeEvent(a.record) })),
    supportReconciliation: report.supportReconciliation.available
      ? {
          available: true,
          result: {
            ...report.supportReconciliation.result,
            tickets: report.supportReconciliation.result.tickets.map((t) => ({
              ...t,
              ticket: {
                ...t.ticket,
                approvedBy:
                  t.ticket.approvedBy === null
                    ? null
                    : tokenizer.token(
                        t.ticket.approvedBy.includes('@') ? 'user' : 'name',
                        t.ticket.approvedBy,
                      ),
              },
            })),
          },
        }
      : report.supportReconciliation,
  };
  return textPass(structured, tokenizer);
}

/** Every string of `value` with emails and IPs replaced, tokens and the support tool's address kept. */
function textPass<T>(value: T, tokenizer: PiiTokenizer): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (PII_TOKEN.test(v)) return v;
      return v
        .split(SUPPORT_TOOL)
        .map((part) => tokenizer.tokenizeText(part))
        .join(SUPPORT_TOOL);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
