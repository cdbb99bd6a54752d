import { html, type SafeHtml } from './html.js';

/** A time as a `<time>` element: the ISO text, readable and machine-readable alike. */
export function time(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`;
}

const SEVERITY_CLASS = new Set(['critical', 'high', 'medium', 'low', 'informational']);

/** A severity as text with its colour class (the text carries the meaning; colour only helps). */
export function severityBadge(severity: string): SafeHtml {
  const cls = SEVERITY_CLASS.has(severity) ? severity : 'informational';
  return html`<span class="sev sev-${cls}">${severity}</span>`;
}

/**
 * A value that may be a PII token: shown as a token, with a reveal button for analysts (the console
 * script posts the token, the record it came from and a reason to /api/v1/reveal).
 */
export function tokenValue(
  value: string | null | undefined,
  context: { kind: 'event' | 'alert'; source?: string; id: string },
  canReveal: boolean,
): SafeHtml {
  if (value === null || value === undefined || value === '') return html`<span class="muted">–</span>`;
  if (!/^(user|name|ip|phone):[0-9a-f]{16}$/.test(value)) return html`${value}`;
  return html`<span class="token"
    ><code>${value}</code>${
      canReveal
        ? html` <button
            type="button"
            class="reveal"
            data-token="${value}"
            data-kind="${context.kind}"
            data-source="${context.source ?? ''}"
            data-id="${context.id}"
          >
            Reveal
          </button>`
        : ''
    }</span
  >`;
}

/** A form the console script sends as JSON with the CSRF header, then reloads or follows `then`. */
export function apiForm(
  action: string,
  body: SafeHtml,
  options: { label: string; then?: string; className?: string },
): SafeHtml {
  return html`<form
    class="${options.className ?? 'api-form'}"
    method="post"
    action="${action}"
    data-api="${action}"
    ${options.then ? html` data-then="${options.then}"` : ''}
  >
    ${body}<button type="submit">${options.label}</button
    ><output class="form-result" aria-live="polite"></output>
  </form>`;
}
