import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeProblem, parseConfigDocument } from '../../config/config-document.js';
import { VigilError } from '../../core/vigil-error.js';
import type { PostureErrorCode } from '../errors.js';
import { BASELINE_CHECKS, DEFAULT_SETTINGS, type CheckSettings } from './baseline-checks.js';

const names = z.array(z.string().min(1)).max(10_000);
const checkIds = new Set(BASELINE_CHECKS.map((c) => c.id));

/**
 * A customer baseline (YAML): which built-in checks apply and how strictly, settings that
 * override the defaults, and allow-lists. An allow-list that is declared makes every object of its
 * kind that is present but not declared a finding; one that is not declared is not checked.
 */
const baselineSchema = z
  .object({
    checks: z
      .record(
        z.string().refine((id) => checkIds.has(id), { message: 'not a built-in check id' }),
        z
          .object({
            enabled: z.boolean().default(true),
            requirement: z.enum(['SHALL', 'SHOULD']).optional(),
            /** Why the check is off or relaxed: shown in the report. */
            reason: z.string().optional(),
          })
          .strict(),
      )
      .default({}),
    settings: z
      .object({
        maxSessionLifetimeMinutes: z.number().int().min(1).max(525_600),
        maxSessionIdleMinutes: z.number().int().min(1).max(10_080),
        minPasswordLength: z.number().int().min(1).max(256),
        maxLockoutAttempts: z.number().int().min(1).max(100),
        maxSuperAdmins: z.number().int().min(0).max(1000),
        weakAuthenticators: names,
        phishingResistantAuthenticators: names,
      })
      .partial()
      .strict()
      .default({}),
    allow: z
      .object({
        /** Logins (or ids) of the users expected to hold Super Administrator. */
        superAdmins: names,
        /** Logins, group names or client ids expected to hold any admin role. */
        adminRoleHolders: names,
        /** Names or ids of the identity providers. */
        identityProviders: names,
        /** Names or ids of the API tokens. */
        apiTokens: names,
        /** Names or ids of the network zones. */
        networkZones: names,
        /** Labels, names or ids of the apps. */
        apps: names,
      })
      .partial()
      .strict()
      .default({}),
  })
  .strict();

type BaselineFile = z.infer<typeof baselineSchema>;
export interface Baseline {
  readonly checks: BaselineFile['checks'];
  readonly settings: CheckSettings;
  readonly allow: BaselineFile['allow'];
  /** The file it came from; null for the default baseline. */
  readonly file: string | null;
}

/** The default baseline: every built-in check as written, no allow-lists. */
export const DEFAULT_BASELINE: Baseline = { checks: {}, settings: DEFAULT_SETTINGS, allow: {}, file: null };

/** Reads a baseline file; every problem is named with its line and key path in one error. */
export function loadBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new VigilError<PostureErrorCode>(
      'POSTURE_BASELINE_INVALID',
      `${file}: cannot read the baseline (${(error as Error).message})`,
      {
        category: 'input',
        cause: error,
      },
    );
  }
  const parsed = parseConfigDocument(text, baselineSchema);
  if (!parsed.ok) {
    const listed = parsed.problems.map(
      (p) => `${file}:${p.line ?? 1}: ${describeProblem({ ...p, line: undefined })}`,
    );
    throw new VigilError<PostureErrorCode>('POSTURE_BASELINE_INVALID', listed.join('\n'), {
      category: 'input',
      details: { file, problems: parsed.problems },
    });
  }
  return { ...parsed.value, settings: { ...DEFAULT_SETTINGS, ...parsed.value.settings }, file };
}
