/** Stable codes of the blast-radius report and the shared export. */
export type ReportErrorCode =
  /** `--reveal` without `--reason`, or another combination of report flags that makes no sense. */
  | 'REPORT_BAD_REQUEST'
  /** The PDF could not be rendered: no Chromium at the expected path, or it failed. */
  | 'REPORT_PDF_FAILED'
  /** An output file or folder that exists already or cannot be written. */
  | 'REPORT_OUT_UNWRITABLE';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    report: ReportErrorCode;
  }
}
