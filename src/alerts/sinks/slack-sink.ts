import type { Alert } from '../alert.js';
import type { AlertSink } from './alert-sink.js';
import { alertHeadline, otherReasons } from './alert-payload.js';
import { deliveryOptionsOf, postWithRetry, type HttpSinkSettings } from './http-delivery.js';

export interface SlackSinkOptions extends HttpSinkSettings {
  readonly name?: string;
  /** The incoming-webhook URL. It is the credential itself, so it comes from a secret reference. */
  readonly webhookUrl: string;
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
      {
        type: 'section',
        text: { type: 'mrkdwn', text: mrkdwn([alert.description, ...otherReasons(alert)].join('\n')) },
      },
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
    const body = JSON.stringify(slackMessage(alert));
    await postWithRetry(
      this.#options.webhookUrl,
      body,
      () => ({}),
      deliveryOptionsOf(this.#options, this.name),
    );
  }

  toJSON(): object {
    return { name: this.name, type: 'slack' };
  }
}
