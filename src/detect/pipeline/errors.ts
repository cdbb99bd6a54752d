/** Stable codes of the detection pipeline and feed. */
export type DetectionErrorCode =
  /** Saved detector state in the store is not what the pipeline wrote (names source, part and key). */
  'DETECT_STATE_UNREADABLE';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    detection: DetectionErrorCode;
  }
}
