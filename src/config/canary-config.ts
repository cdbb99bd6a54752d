import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { privateFileProblem } from '../core/private-file.js';
import { VigilError } from '../core/vigil-error.js';
import type { ConfigErrorCode } from './errors.js';

/** The probes a canary can be asked to prove (docs/canaries.md). */
export const CANARY_PROBES = [
  // Run in this order: the MFA sign-in's success clears the wrong-password failure before lockout counts.
  'wrong-password',
  'mfa-required',
  'lockout',
  'deactivated-refused',
  'group-denied',
] as const;
export type CanaryProbeName = (typeof CANARY_PROBES)[number];

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');

/**
 * One canary account: a dedicated user of one source and the probes it must pass. Its password and
 * TOTP seed are referenced (environment variable or 0600 file), never written here.
 */
const canaryUserSchema = z
  .object({
    source: z.string().min(1),
    login: z.string().min(3).max(256),
    probes: z.array(z.enum(CANARY_PROBES)).min(1),
    passwordEnv: envName.optional(),
    passwordFile: z.string().min(1).optional(),
    totpSecretEnv: envName.optional(),
    totpSecretFile: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (c) => (c.passwordEnv === undefined) !== (c.passwordFile === undefined),
    'exactly one of passwordEnv or passwordFile',
  )
  .refine(
    (c) => !(c.totpSecretEnv !== undefined && c.totpSecretFile !== undefined),
    'at most one of totpSecretEnv or totpSecretFile',
  )
  .refine(
    (c) =>
      !c.probes.includes('mfa-required') || c.totpSecretEnv !== undefined || c.totpSecretFile !== undefined,
    'the mfa-required probe needs totpSecretEnv or totpSecretFile',
  );

export const canariesConfigSchema = z
  .object({
    /** Minutes between probe runs inside `vigil collect`; 0 turns them off (`vigil canary run` still works). */
    intervalMinutes: z.number().int().min(0).max(10_080).default(60),
    /** How late the provider may publish a probe's events: the log check waits this long past the probe. */
    logLagSeconds: z.number().int().min(0).max(86_400).default(120),
    /**
     * The client IP the provider sees the probe runner as, when known (behind NAT, the egress
     * address): the log check then also requires it, and a canary event from another IP is foreign.
     */
    clientIp: z.string().ip().optional(),
    users: z.array(canaryUserSchema).default([]),
  })
  .strict()
  .default({});

export type CanariesConfig = z.infer<typeof canariesConfigSchema>;
export type CanaryUser = CanariesConfig['users'][number];

/** The canary logins (lower case) of a source, or of every source: whose ordinary alerts are skipped. */
export function canaryLogins(config: { readonly canaries: CanariesConfig }, source?: string): Set<string> {
  return new Set(
    config.canaries.users
      .filter((u) => source === undefined || u.source === source)
      .map((u) => u.login.toLowerCase()),
  );
}

/** A canary's secrets, read now from where vigil.yaml points; errors name the reference, never the value. */
export interface CanarySecrets {
  readonly password: string;
  readonly totpSecret?: string;
}

export function resolveCanarySecrets(
  user: CanaryUser,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): CanarySecrets {
  const password = readSecret(user, 'password', user.passwordEnv, user.passwordFile, env, baseDir)!;
  const totpSecret = readSecret(user, 'TOTP secret', user.totpSecretEnv, user.totpSecretFile, env, baseDir);
  return totpSecret === undefined ? { password } : { password, totpSecret };
}

function readSecret(
  user: CanaryUser,
  what: string,
  envVar: string | undefined,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): string | undefined {
  const unavailable = (why: string, details: Record<string, string>) =>
    new VigilError<ConfigErrorCode>('CONFIG_SECRET_UNAVAILABLE', `canary ${user.login}: ${what} ${why}`, {
      category: 'input',
      details: { canary: user.login, ...details },
    });
  if (envVar !== undefined) {
    const value = env[envVar];
    if (!value) throw unavailable(`environment variable ${envVar} is not set`, { env: envVar });
    return value.replace(/\r?\n$/, '');
  }
  if (file === undefined) return undefined;
  const resolved = path.resolve(baseDir, file);
  const problem = privateFileProblem(resolved);
  if (problem !== undefined) throw unavailable(`file ${resolved} ${problem}`, { file: resolved });
  let value: string;
  try {
    value = readFileSync(resolved, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw unavailable(`file ${resolved} cannot be read`, { file: resolved });
  }
  if (value === '') throw unavailable(`file ${resolved} is empty`, { file: resolved });
  return value;
}

/**
 * Whether an ordinary detection is about canary traffic and must not alert: it names a canary
 * (the user entity's login or id), or the probe runner's configured client IP. Canary findings of
 * their own (rules `vigil-canary-*`, raised by src/canary) are never skipped: a foreign sign-in to a
 * canary is caught there, with the probes' records to tell ours from theirs.
 */
export function isCanaryTraffic(
  detection: {
    readonly ruleId: string;
    readonly entity: { readonly type: string; readonly id: string; readonly display?: string };
  },
  config: { readonly canaries: CanariesConfig },
): boolean {
  if (detection.ruleId.startsWith('vigil-canary-') || config.canaries.users.length === 0) return false;
  const { entity } = detection;
  if (entity.type === 'ip') return entity.id === config.canaries.clientIp;
  if (entity.type !== 'user') return false;
  const logins = canaryLogins(config);
  return (
    logins.has(entity.id.toLowerCase()) ||
    (entity.display !== undefined && logins.has(entity.display.toLowerCase()))
  );
}
