import type { Writable } from 'node:stream';

/** What a command may assume about where its output goes. */
export interface Terminal {
  /** A terminal, not a file or a pipe: only then is a line rewritten in place (`\r`). */
  readonly tty: boolean;
  /** Columns to fit: the terminal's width, else 80. */
  readonly width: number;
  /** Colour on: a terminal, `NO_COLOR` unset or empty (no-color.org), `TERM` not `dumb`. */
  readonly colour: boolean;
}

export const DEFAULT_WIDTH = 80;

export function terminalOf(stream: Writable, env: NodeJS.ProcessEnv): Terminal {
  const { isTTY, columns } = stream as { isTTY?: boolean; columns?: number };
  const tty = isTTY === true;
  return {
    tty,
    width: tty && typeof columns === 'number' && columns >= 20 ? columns : DEFAULT_WIDTH,
    colour: tty && !env['NO_COLOR'] && env['TERM'] !== 'dumb',
  };
}

const SEVERITY_SGR: Readonly<Record<string, string>> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  informational: '2',
};

/** A severity word in its colour when the terminal takes colour; else as it is. */
export function severityStyle(terminal: Terminal, severity: string, text: string = severity): string {
  const sgr = SEVERITY_SGR[severity.trim()];
  return terminal.colour && sgr ? `\x1b[${sgr}m${text}\x1b[0m` : text;
}
