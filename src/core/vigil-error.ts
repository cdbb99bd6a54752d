/**
 * Every module declares its error codes in its own `errors.ts` and registers them here by declaration
 * merging, so `ErrorCode` is the closed union of every module's codes and the type checker refuses a
 * code no module declared (STYLE.md habit 6: callers and tests branch on `code`, never on message
 * text). A module registers its union under its own name:
 *
 *   declare module '../core/vigil-error.js' {
 *     interface ErrorCodeRegistry { custody: CustodyErrorCode }
 *   }
 *
 * The CLI and the HTTP layer map an error's category to an exit code or a status in one place
 * (`error-outcome.ts`). Caller misuse (a bug in the calling code, not bad input) stays a `TypeError`.
 */
export type ErrorCategory =
  /** The caller's input (a flag, a file, a request, the configuration) is wrong: exit 2 / HTTP 4xx. */
  | 'input'
  /** A check ran and failed (tamper, drift): exit 1. */
  | 'check'
  /** Something outside us failed (provider, network, disk): exit 1 / HTTP 5xx. */
  | 'external'
  /** A bug or broken invariant in Vigil itself. */
  | 'internal';

/** Filled by each module's `errors.ts`; see above. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ErrorCodeRegistry {}

/** Every error code any module declares. */
export type ErrorCode = ErrorCodeRegistry[keyof ErrorCodeRegistry];

export class VigilError<C extends ErrorCode = ErrorCode> extends Error {
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
