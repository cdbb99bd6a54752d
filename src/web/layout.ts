import { html, SafeHtml } from './html.js';

/** Who is signed in, as a page shows it (a local console account, never a provider login). */
export interface PageUser {
  readonly name: string;
  readonly role: 'viewer' | 'analyst' | 'admin';
  /** The session's CSRF token: the console script sends it with every change (x-csrf-token). */
  readonly csrfToken?: string;
}

export interface NavItem {
  readonly href: string;
  readonly text: string;
  /** Shown only to this role and above. */
  readonly role?: PageUser['role'];
}

/** The console's pages, in the order the navigation lists them. Incidents join when that pillar lands. */
export const CONSOLE_NAV: readonly NavItem[] = [
  { href: '/', text: 'Overview' },
  { href: '/alerts', text: 'Alerts' },
  { href: '/events', text: 'Events' },
  { href: '/custody', text: 'Custody' },
  { href: '/posture', text: 'Posture' },
  { href: '/canaries', text: 'Canaries' },
  { href: '/settings', text: 'Settings' },
  { href: '/audit', text: 'Audit log', role: 'admin' },
];

const RANK = { viewer: 0, analyst: 1, admin: 2 } as const;

export interface PageOptions {
  readonly title: string;
  readonly principal: PageUser | null;
  readonly body: SafeHtml;
  /** The navigation entry to mark as current. */
  readonly current?: string;
  readonly nav?: readonly NavItem[];
  readonly refreshTo?: string;
}

/**
 * One console page: plain HTML, the console's stylesheet and script served by the console itself
 * (no CDN, no inline script or style: the CSP is `default-src 'self'`), a skip link and landmarks.
 */
export function page(options: PageOptions): string {
  const user = options.principal;
  const nav = (options.nav ?? CONSOLE_NAV).filter(
    (item) => item.role === undefined || (user !== null && RANK[user.role] >= RANK[item.role]),
  );
  const doc = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${user?.csrfToken ? html`<meta name="csrf-token" content="${user.csrfToken}" />` : ''}
        ${options.refreshTo ? html`<meta http-equiv="refresh" content="0;url=${options.refreshTo}" />` : ''}
        <title>${options.title} · Vigil</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script type="module" src="/assets/console.js"></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <span class="brand">Vigil</span>
          ${
            user
              ? html`<nav aria-label="Console">
                    <ul>
                      ${nav.map(
                        (item) =>
                          html`<li>
                            <a
                              href="${item.href}"
                              ${item.href === options.current ? new SafeHtml(' aria-current="page"') : ''}
                              >${item.text}</a
                            >
                          </li>`,
                      )}
                    </ul>
                  </nav>
                  <form
                    class="whoami"
                    method="post"
                    action="/sign-out"
                    data-api="/sign-out"
                    data-then="/sign-in"
                  >
                    <span>${user.name} (${user.role})</span> <button type="submit">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main id="main">${options.body}</main>
      </body>
    </html> `;
  return doc.text;
}
