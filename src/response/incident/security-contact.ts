import type { Alert } from '../../alerts/alert.js';
import { buildSink, type SinkConfig } from '../../alerts/sinks/sink-config.js';
import type { SourceConfig, VigilConfig } from '../../config/vigil-config.js';
import { sinkRuntime } from '../../runtime/alert-delivery.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Incident } from './incident.js';

/** What the security contact is told: an incident opened, or its report is ready. */
export type ContactNotice =
  | { readonly kind: 'opened'; readonly incident: Incident }
  | {
      readonly kind: 'report-ready';
      readonly incident: Incident;
      readonly reportId: string;
      /** Counts only: no login, name or address ever goes to the contact. */
      readonly counts: {
        readonly events: number;
        readonly principals: number;
        readonly admins: number;
        readonly gaps: number;
      };
      /** SHA-256 of the report's SHA256SUMS (or of its HTML), so the contact can tell the copy they get is the one made. */
      readonly digest?: string;
    };

export interface ContactDelivery {
  readonly channel: 'webhook' | 'email';
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * Tells the source's security contact (`sources[].securityContact` in vigil.yaml) through the alert
 * sinks' own code: the webhook signed as the webhook sink signs, email through the first `email`
 * sink's server. One attempt each: a notice that fails is reported to the person running the
 * command, never retried in the background, and never fails the incident or the report.
 */
export async function notifySecurityContact(
  runtime: Runtime,
  notice: ContactNotice,
): Promise<ContactDelivery[]> {
  const source = runtime.config.sources.find((s) => s.name === notice.incident.source);
  const contact = source?.securityContact;
  if (!contact) return [];
  const alert = noticeAlert(notice, runtime.options.clock.now());
  const sinks = contactSinks(contact, runtime.config);
  const runtimeOfSinks = sinkRuntime(runtime.options);
  const results: ContactDelivery[] = [];
  for (const { channel, config, missing } of sinks) {
    if (missing) {
      results.push({ channel, ok: false, error: missing });
      continue;
    }
    try {
      await buildSink(config!, runtimeOfSinks).sink.send(alert);
      results.push({ channel, ok: true });
    } catch (error) {
      results.push({ channel, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

const ONCE = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

function contactSinks(
  contact: NonNullable<SourceConfig['securityContact']>,
  config: VigilConfig,
): { channel: ContactDelivery['channel']; config?: SinkConfig; missing?: string }[] {
  const sinks: { channel: ContactDelivery['channel']; config?: SinkConfig; missing?: string }[] = [];
  if (contact.webhook)
    sinks.push({
      channel: 'webhook',
      config: {
        type: 'webhook',
        name: 'security-contact',
        minSeverity: 'informational',
        url: contact.webhook.url,
        secret: contact.webhook.secret,
        retry: ONCE,
      },
    });
  if (contact.email) {
    const server = config.alerts.sinks.find((s) => s.type === 'email');
    sinks.push(
      server && server.type === 'email'
        ? {
            channel: 'email',
            config: {
              ...server,
              name: 'security-contact-email',
              minSeverity: 'informational',
              to: [contact.email],
            },
          }
        : { channel: 'email', missing: 'no email sink in alerts.sinks to send through' },
    );
  }
  return sinks;
}

/** The notice as an alert the sinks know how to send; its text holds no personal data. */
export function noticeAlert(notice: ContactNotice, nowMs: number): Alert {
  const { incident } = notice;
  const window = `${incident.from} to ${incident.to} (scope ${incident.scope}, ${incident.iocs.length} indicator(s))`;
  const opened = notice.kind === 'opened';
  const description = opened
    ? `Incident ${incident.id} "${incident.name}" was opened for source ${incident.source}, window ${window}. The blast-radius report follows.`
    : `The blast-radius report ${notice.reportId} of incident ${incident.id} "${incident.name}" (source ${incident.source}, window ${window}) is ready: ${notice.counts.events} cited event(s), ${notice.counts.principals} affected user(s) of whom ${notice.counts.admins} admin(s), ${notice.counts.gaps} collection gap(s).${notice.digest ? ` SHA-256 ${notice.digest}.` : ''} Ask the team that runs Vigil for it.`;
  return {
    id: `${incident.id}-${notice.kind}`,
    ruleId: opened ? 'vigil-incident-opened' : 'vigil-incident-report-ready',
    title: opened ? `Incident opened: ${incident.name}` : `Incident report ready: ${incident.name}`,
    severity: 'high',
    entity: { type: 'incident', id: incident.id, display: incident.name },
    description,
    eventIds: [],
    dedupKey: `${incident.id}:${notice.kind}`,
    source: incident.source,
    status: 'open',
    count: 1,
    firstSeenMs: nowMs,
    lastSeenMs: nowMs,
    createdMs: nowMs,
    transitions: [],
    reasons: [],
    heldBack: false,
  };
}
