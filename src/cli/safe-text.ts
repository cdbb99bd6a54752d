/**
 * Text from the provider, a file or a rule is printed to a terminal by every table and text
 * formatter; an ANSI escape sequence in an event field (`\x1b]0;...`, `\x1b[2J`, cursor moves) would
 * otherwise rewrite the screen, hide lines or forge output. Every formatter passes what it prints
 * through `safeText`: escape sequences are dropped whole, and every other control character (C0,
 * DEL, C1, Unicode bidi overrides and isolates, line and paragraph separators) becomes U+FFFD so the
 * reader sees that something was there. `multiline` keeps `\n` for text that is ours to break.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
// ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), ESC and one byte (others).
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_]?)/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const CONTROL_BUT_NEWLINE =
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/* eslint-enable no-control-regex */

export function safeText(value: string, options: { multiline?: boolean } = {}): string {
  return value
    .replace(ESCAPE_SEQUENCE, '')
    .replace(options.multiline ? CONTROL_BUT_NEWLINE : CONTROL, '\uFFFD');
}
