import { MiB, readBoundedFile, type FileProblem } from '../core/bounded-file.js';
import { VigilError } from '../core/vigil-error.js';

export { MiB };

const CODES = {
  symlink: 'CLI_FILE_NOT_REGULAR',
  'not-regular': 'CLI_FILE_NOT_REGULAR',
  'too-large': 'CLI_FILE_TOO_LARGE',
  unreadable: 'CLI_FILE_UNREADABLE',
} as const;

/**
 * A file named on the command line (a bundle's files, `detect --input`, `verify --checkpoint`), read
 * as hostile input (core/bounded-file.ts): a regular file, no symlink followed, at most `maxBytes`.
 */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  return readBoundedFile(file, {
    maxBytes,
    refuse: (p: FileProblem) =>
      new VigilError(CODES[p.kind], `${file} ${p.why}`, {
        category: 'input',
        details: { file, ...(p.kind === 'too-large' ? { maxBytes } : {}) },
        cause: p.cause,
      }),
  });
}

/** `readRegularFile` as UTF-8 text. */
export function readRegularTextFile(file: string, maxBytes: number): string {
  return readRegularFile(file, maxBytes).toString('utf8');
}
