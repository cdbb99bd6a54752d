import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { privateFileProblem } from '../../core/private-file.js';
import { VigilError } from '../../core/vigil-error.js';
import type { SinkErrorCode } from './errors.js';

/**
 * docs/design.md "Data directory": secrets are referenced from an environment variable or a file,
 * never written in the config itself, and never printed.
 */
export const secretRefSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);

export type SecretRef = z.infer<typeof secretRefSchema>;

export interface SecretSources {
  readonly env: NodeJS.ProcessEnv;
  /** Relative `file` references resolve against this directory (the data directory). */
  readonly baseDir: string;
}

/** Reads the secret's value. Errors name the reference (variable or path), never the value. */
export function resolveSecret(ref: SecretRef, sources: SecretSources): string {
  if ('env' in ref) {
    const value = sources.env[ref.env];
    if (value === undefined || value === '') {
      throw new VigilError<SinkErrorCode>(
        'SINK_SECRET_UNAVAILABLE',
        `environment variable ${ref.env} is not set`,
        {
          category: 'input',
          details: { env: ref.env },
        },
      );
    }
    return value;
  }
  const file = path.resolve(sources.baseDir, ref.file);
  const problem = privateFileProblem(file);
  if (problem !== undefined)
    throw new VigilError<SinkErrorCode>('SINK_SECRET_UNAVAILABLE', `secret file ${file} ${problem}`, {
      category: 'input',
      details: { file },
    });
  let value: string;
  try {
    // A trailing newline from `echo secret > file` is not part of the secret.
    value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (cause) {
    throw new VigilError<SinkErrorCode>('SINK_SECRET_UNAVAILABLE', `secret file ${file} cannot be read`, {
      category: 'input',
      details: { file },
      cause,
    });
  }
  if (value === '') {
    throw new VigilError<SinkErrorCode>('SINK_SECRET_UNAVAILABLE', `secret file ${file} is empty`, {
      category: 'input',
      details: { file },
    });
  }
  return value;
}
