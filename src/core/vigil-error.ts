/**
 * Every module declares its own error codes in its `errors.ts` and throws `VigilError` with one of
 * them; callers and tests branch on `code`, never on message text (STYLE.md habit 6). The CLI and the
 * HTTP layer map the code's category to an exit code or status in one place each.
 */
export type ErrorCategory =
  /** The caller's input (a flag, a file, a request) is wrong: exit 2 / HTTP 4xx. */
  | 'input'
  /** A check ran and failed (tamper, drift): exit 1. */
  | 'check'
  /** Something outside us failed (provider, network, disk): exit 1 / HTTP 5xx. */
  | 'external'
  /** A bug or broken invariant in Vigil itself. */
  | 'internal';

export class VigilError<C extends string = string> extends Error {
  override readonly name = 'VigilError';
  readonly code: C;
  readonly category: ErrorCategory;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: C,
    message: string,
    options: { category?: ErrorCategory; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.category = options.category ?? 'internal';
    this.details = options.details ?? {};
  }
}

export const isVigilError = (value: unknown): value is VigilError => value instanceof VigilError;
