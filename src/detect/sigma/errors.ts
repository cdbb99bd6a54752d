import { isVigilError, VigilError } from '../../core/vigil-error.js';

/** Error codes of the Sigma engine (STYLE.md habit 6). */
export type SigmaErrorCode =
  /** A rule document breaks the Sigma 2.1 specification; details name file, line and problem. */
  | 'SIGMA_INVALID_RULE'
  /** A `%name%` placeholder used with `|expand` has no configured value. */
  | 'SIGMA_UNRESOLVED_PLACEHOLDER'
  /** A rule file or folder could not be read. */
  | 'SIGMA_READ_FAILED';

/** Where in a rule document a problem is: keys and list indices from the document's root. */
export type RulePath = readonly (string | number)[];

/**
 * A problem the rule compiler finds. It knows only the YAML path (`details.path`); the loader, which
 * knows file and line, throws it again with them in the message and details.
 */
export function ruleProblem(
  problem: string,
  path: RulePath,
  code: SigmaErrorCode = 'SIGMA_INVALID_RULE',
): VigilError<SigmaErrorCode> {
  return new VigilError(code, problem, { category: 'input', details: { problem, path } });
}

/** A `ruleProblem` not yet placed in a file, with its YAML path. */
export function unplacedRuleProblem(
  error: unknown,
): { error: VigilError<SigmaErrorCode>; path: RulePath } | undefined {
  if (!isVigilError(error) || error.details.file !== undefined || !Array.isArray(error.details.path))
    return undefined;
  if (!error.code.startsWith('SIGMA_')) return undefined;
  return { error: error as VigilError<SigmaErrorCode>, path: error.details.path as RulePath };
}

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    sigma: SigmaErrorCode;
  }
}
