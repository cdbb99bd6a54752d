import { html } from './html.js';
import { page } from './layout.js';

/** A page for a refusal or failure: what happened, and where to go (sign in, the overview). */
export function errorPage(options: {
  title: string;
  message: string;
  link?: { href: string; text: string };
  /** Sends the browser on (a meta refresh: no script needed under the CSP). */
  refreshTo?: string;
}): string {
  return page({
    title: options.title,
    principal: null,
    ...(options.refreshTo === undefined ? {} : { refreshTo: options.refreshTo }),
    body: html`<h1>${options.title}</h1>
      <p>${options.message}</p>
      ${options.link ? html`<p><a href="${options.link.href}">${options.link.text}</a></p>` : ''}`,
  });
}
