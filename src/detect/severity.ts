/**
 * How bad a detection is. This list is the one place the severities and their order are written:
 * least to most severe. Everything that ranks, compares, validates or lists severities derives
 * from it; tables that map a severity to another scale (syslog, CEF) are keyed by `Severity`, so
 * the type checker reports a missing entry.
 */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Position in `SEVERITIES`: 0 for informational up to 4 for critical. */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

export const isSeverity = (value: string): value is Severity =>
  (SEVERITIES as readonly string[]).includes(value);

/** Whether `severity` is at least `minimum` (a sink's `minSeverity`, `vigil alerts --severity`). */
export const meetsSeverity = (severity: Severity, minimum: Severity): boolean =>
  severityRank(severity) >= severityRank(minimum);

/** The more severe of two. */
export const maxSeverity = (a: Severity, b: Severity): Severity =>
  severityRank(b) > severityRank(a) ? b : a;

/** Every severity at least `minimum`, least severe first (a store's `minSeverity` filter). */
export const severitiesAtLeast = (minimum: Severity): Severity[] => SEVERITIES.slice(severityRank(minimum));

/** A Sigma rule's `level` as a severity; an unknown or missing level counts as medium. */
export const asSeverity = (level: string): Severity => (isSeverity(level) ? level : 'medium');
