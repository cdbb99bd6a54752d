import type { Dispatcher } from 'undici';
import type { Clock } from '../../core/clock.js';
import type { Random } from '../../core/seeded-random.js';
import type { Alert } from '../alerts/alert.js';
import type { AlertSink } from './alert-sink.js';
import { alertHeadline } from './alert-payload.js';
import { postWithRetry } from './http-delivery.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

export interface SlackSinkOptions {
  readonly name?: string;
  /** The incoming-webhook URL. It is the credential itself, so it comes from a secret reference. */
  readonly webhookUrl: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

/** Slack mrkdwn needs `&`, `<` and `>` escaped (Slack "Formatting text for app surfaces"). */
const mrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Incoming-webhook message: `text` is the notification fallback, `blocks` the rich layout. */
export function slackMessage(alert: Alert): { text: string; blocks: object[] } {
  const headline = alertHeadline(alert);
  const events = alert.eventIds.slice(0, 10).join(', ') + (alert.eventIds.length > 10 ? ', …' : '');
  return {
    text: headline,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(alert.description) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Rule*\n${mrkdwn(alert.ruleId)}` },
          { type: 'mrkdwn', text: `*Severity*\n${alert.severity}` },
          { type: 'mrkdwn', text: `*Alert*\n${mrkdwn(alert.id)} (×${alert.count})` },
          { type: 'mrkdwn', text: `*Last seen*\n${new Date(alert.lastSeenMs).toISOString()}` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Events: ${mrkdwn(events)}` }] },
    ],
  };
}

export class SlackSink implements AlertSink {
  readonly name: string;
  readonly #options: SlackSinkOptions;

  constructor(options: SlackSinkOptions) {
    this.name = options.name ?? 'slack';
    this.#options = options;
  }

  async send(alert: Alert): Promise<void> {
    const o = this.#options;
    await postWithRetry(o.webhookUrl, JSON.stringify(slackMessage(alert)), () => ({}), {
      clock: o.clock,
      random: o.random,
      retry: o.retry ?? DEFAULT_RETRY_POLICY,
      sinkName: this.name,
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
      ...(o.dispatcher === undefined ? {} : { dispatcher: o.dispatcher }),
    });
  }

  toJSON(): object {
    return { name: this.name, type: 'slack' };
  }
}
