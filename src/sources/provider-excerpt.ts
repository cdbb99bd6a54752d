/** How much of a provider's text an error message quotes. */
export const EXCERPT_CHARS = 160;

// C0 and C1 controls (ESC starts ANSI sequences), DEL, and the bidirectional overrides.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A provider's text made fit to print: every secret replaced, control characters (ANSI escapes
 * included) shown as `?`, and shortened. A 401 body may echo the token it refused (issue 19), and
 * a hostile body may try to drive the terminal.
 */
export function providerExcerpt(text: string, secrets: readonly string[], max = EXCERPT_CHARS): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('[redacted]');
  out = out.replace(CONTROL, '?');
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
