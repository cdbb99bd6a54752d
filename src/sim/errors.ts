/** Okta's error body (research/okta-api.md §1.8): errorLink equals errorCode; errorId is `oae…`. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

/** A request the simulator refuses the way Okta would: the HTTP status and Okta's error code. */
export class OktaApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly summary: string,
    readonly causes: readonly string[] = [],
  ) {
    super(summary);
  }
}

export type SimErrorCode = 'SIM_BAD_OPTIONS';

export const validationFailed = (...causes: string[]) =>
  new OktaApiError(
    400,
    'E0000001',
    'Api validation failed: ' + (causes[0]?.split(':')[0] ?? 'request'),
    causes,
  );

export const invalidFilter = (summary: string) => new OktaApiError(400, 'E0000053', summary);

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    sim: SimErrorCode;
  }
}
