import { errorOutcome } from '../core/error-outcome.js';
import { isVigilError, type ErrorCode } from '../core/vigil-error.js';

/** The JSON body of every console error: a stable code, a sentence, and the request's id. */
export interface HttpErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId: string };
}

/**
 * Codes whose HTTP status is more precise than their category's (core/error-outcome.ts maps every
 * `input` error to 400): a missing thing is 404, no or the wrong credentials 401/403, too many tries 429.
 */
const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  CONSOLE_NOT_FOUND: 404,
  CONSOLE_REVEAL_NOT_FOUND: 404,
  ALERT_NOT_FOUND: 404,
  CUSTODY_NO_SUCH_EVENT: 404,
  CUSTODY_NO_SUCH_RECORD: 404,
  CUSTODY_NO_CHECKPOINT: 404,
  POSTURE_NO_SNAPSHOT: 404,
  AUTH_REQUIRED: 401,
  SIGN_IN_FAILED: 401,
  ROLE_REFUSED: 403,
  CSRF_REFUSED: 403,
  ACCOUNT_LOCKED: 429,
  SIGN_IN_RATE_LIMITED: 429,
  ENROLMENT_INVALID: 404,
};

/** Fastify's own client errors (bad JSON, too large, wrong media type) keep their 4xx status. */
interface FrameworkError {
  readonly statusCode?: number;
  readonly validation?: unknown;
  readonly message?: string;
}

/**
 * The one mapping from an error to the console's answer: a VigilError by its code or category
 * (core/error-outcome.ts), a request the framework refused as 400-499 with CONSOLE_BAD_REQUEST, and
 * anything else as a 500 whose message says nothing of its cause (the log has it, by request id).
 */
export function httpError(error: unknown, requestId: string): { status: number; body: HttpErrorBody } {
  if (isVigilError(error)) {
    const status = STATUS_OF_CODE[error.code] ?? errorOutcome(error).httpStatus;
    const message = status >= 500 ? 'the console failed; its log names the cause' : error.message;
    return { status, body: { error: { code: error.code, message, requestId } } };
  }
  const framework = error as FrameworkError | null;
  const status = framework?.statusCode;
  if (framework?.validation !== undefined || (status !== undefined && status >= 400 && status < 500))
    return {
      status: status !== undefined && status >= 400 && status < 500 ? status : 400,
      body: {
        error: {
          code: 'CONSOLE_BAD_REQUEST',
          message: framework?.message ?? 'bad request',
          requestId,
        },
      },
    };
  return {
    status: 500,
    body: {
      error: { code: 'CONSOLE_INTERNAL', message: 'the console failed; its log names the cause', requestId },
    },
  };
}
