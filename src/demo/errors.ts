/** Error codes of `vigil demo`. */
export type DemoErrorCode =
  /** `--data` names a directory that already holds a store or a vigil.yaml: the demo never reuses one. */
  'DEMO_DATA_IN_USE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    demo: DemoErrorCode;
  }
}
