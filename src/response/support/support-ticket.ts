import { createHash } from 'node:crypto';
import { z } from 'zod';
import { VigilError } from '../../core/vigil-error.js';
import { canonicalize } from '../../ledger/jcs.js';
import type { SupportErrorCode } from './errors.js';

/**
 * What support staff may do under a ticket (issue 17): start an impersonation session, view the
 * org's data (`support.org.view`), change it (`support.org.update`), reset passwords and factors.
 */
export const SUPPORT_SCOPES = ['impersonation', 'view', 'update', 'credentials'] as const;
export type SupportScope = (typeof SUPPORT_SCOPES)[number];

/**
 * One approved support ticket as Vigil ledgers it in `<source>/support-tickets`: the customer's own,
 * signed record of what it allowed (the AWS "support permit" idea, posture-ecosystem.md §2), or what
 * the provider's cases API said about a case when Vigil read it.
 */
export interface SupportTicket {
  readonly v: 1;
  readonly source: string;
  readonly caseNumber: string;
  /** The window support may act in, RFC 3339 UTC; `to` exclusive. */
  readonly from: string;
  readonly to: string;
  readonly scope: readonly SupportScope[];
  /** Who approved it; null when nobody did (a provider case awaiting a self-assigned approval). */
  readonly approvedBy: string | null;
  /** `customer`: `vigil support approve` or an import; `provider`: read from the provider's cases API. */
  readonly origin: 'customer' | 'provider';
  readonly subject?: string;
  /** A provider case's state when read: impersonation status and the self-assigned approval. */
  readonly provider?: { readonly impersonation: string; readonly selfAssigned: string | null };
  /** Where a customer ticket came from: `cli`, or the imported file and line. */
  readonly recordedFrom: string;
  readonly recordedAt: string;
}

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export const ticketSchema = z
  .object({
    v: z.literal(1),
    source: z.string().min(1).max(64),
    caseNumber: z.string().regex(/^[0-9]{1,32}$/, 'a case number is digits'),
    from: z.string().regex(UTC, 'an RFC 3339 UTC time'),
    to: z.string().regex(UTC, 'an RFC 3339 UTC time'),
    scope: z.array(z.enum(SUPPORT_SCOPES)).min(1).max(SUPPORT_SCOPES.length),
    approvedBy: z
      .string()
      .min(1)
      .max(200)
      .regex(PRINTABLE, 'printable characters only')
      .refine((v) => v.trim() !== '', 'a name, not blanks')
      .nullable(),
    origin: z.enum(['customer', 'provider']),
    subject: z.string().max(500).regex(PRINTABLE, 'printable characters only').optional(),
    provider: z
      .object({ impersonation: z.string().max(40), selfAssigned: z.string().max(40).nullable() })
      .strict()
      .optional(),
    recordedFrom: z.string().min(1).max(1000),
    recordedAt: z.string().regex(UTC, 'an RFC 3339 UTC time'),
  })
  .strict()
  .refine((t) => Date.parse(t.from) < Date.parse(t.to), { message: 'from must be before to', path: ['to'] });

/** A ticket's window in epoch ms. */
export const windowOf = (t: SupportTicket) => ({ fromMs: Date.parse(t.from), toMs: Date.parse(t.to) });

/** The record's exact bytes: canonical JSON (RFC 8785), as every record log stores them. */
export function ticketBody(ticket: SupportTicket): string {
  return canonicalize(ticket);
}

/**
 * A ticket's record id: its case and the digest of what it says apart from when it was recorded,
 * so reading an unchanged provider case again, or importing the same file twice, adds nothing.
 */
export function ticketId(ticket: SupportTicket): string {
  const { recordedAt: _at, recordedFrom: _from, ...what } = ticket;
  const digest = createHash('sha256').update(canonicalize(what)).digest('hex').slice(0, 16);
  return `case-${ticket.caseNumber}-${ticket.origin}-${digest}`;
}

/** A ticket checked against the schema; `where` names the flag, file:line or record. */
export function checkedTicket(value: unknown, where: string, code: SupportErrorCode): SupportTicket {
  const parsed = ticketSchema.safeParse(value);
  if (parsed.success) return parsed.data as SupportTicket;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'ticket';
  throw new VigilError<SupportErrorCode>(code, `${where}: ${field}: ${issue.message}`, {
    category: code === 'SUPPORT_RECORD_INVALID' ? 'check' : 'input',
    details: { where, field },
  });
}

/** A scope list as written (`impersonation,view`, or `all`); anything else names what is wrong. */
export function parseScope(text: string | undefined, where: string): SupportScope[] {
  if (text === undefined || text.trim() === '' || text.trim() === 'all') return [...SUPPORT_SCOPES];
  const parts = text.split(/[,;| ]+/).filter((p) => p !== '');
  for (const p of parts)
    if (!(SUPPORT_SCOPES as readonly string[]).includes(p))
      throw new VigilError<SupportErrorCode>(
        'SUPPORT_TICKET_INVALID',
        `${where}: scope '${p.slice(0, 40)}' is not one of ${SUPPORT_SCOPES.join(', ')} (or all)`,
        { category: 'input', details: { where } },
      );
  return SUPPORT_SCOPES.filter((s) => parts.includes(s));
}
