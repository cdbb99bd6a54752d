import type { Writable } from 'node:stream';
import { safeText } from './safe-text.js';
import type { Terminal } from './terminal.js';

/**
 * A progress line rewritten in place, only on a terminal: a file or a pipe (a log, journald, CI)
 * gets no `\r` and no progress at all, only the lines a command prints for good. On a terminal the
 * line is cut to the terminal's width (a line that wraps cannot be rewritten, and leaves its tail
 * behind) and the rest of the row is cleared (`ESC [K`), so a shorter line leaves no stray tail.
 */
export class StatusLine {
  #shown = false;

  constructor(
    private readonly stream: Writable,
    private readonly terminal: Terminal,
  ) {}

  update(text: string): void {
    if (!this.terminal.tty) return;
    const max = this.terminal.width - 1;
    const line = safeText(text);
    this.stream.write(`\r${line.length > max ? `${line.slice(0, max - 1)}…` : line}\x1b[K`);
    this.#shown = true;
  }

  /** Keeps the last progress on screen and moves to the next line. */
  end(): void {
    if (this.#shown) this.stream.write('\n');
    this.#shown = false;
  }

  /** Removes the progress line, before a message takes its place. */
  clear(): void {
    if (this.#shown) this.stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
