import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../core/heap-policy.js';
import { privateFileProblem } from '../core/private-file.js';
import { VigilError } from '../core/vigil-error.js';
import { DEFAULT_BODY_LIMITS } from '../sources/bounded-body.js';
import { alertsConfigSchema } from '../alerts/alerts-config.js';
import { secretRefSchema } from '../alerts/sinks/secret-ref.js';
import { witnessesConfigSchema } from '../witness/witness-config.js';
import { canariesConfigSchema } from './canary-config.js';

import { describeProblem, parseConfigDocument } from './config-document.js';
import type { ConfigErrorCode } from './errors.js';

export const CONFIG_FILE = 'vigil.yaml';

/** The longest wait between two collection runs (`collect.pollIntervalSeconds`, `--poll-interval`). */
export const MAX_POLL_INTERVAL_SECONDS = 86_400;

/** Vigil's own logs (the audit log `vigil/audit`) live under this name; no source may take it. */
export const RESERVED_SOURCE_NAME = 'vigil';

/** A source never holds its secret: only where to read it (docs/design.md "Data directory"). */
const oktaSourceSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes')
      .refine(
        (name) => name !== RESERVED_SOURCE_NAME,
        `"${RESERVED_SOURCE_NAME}" is reserved for Vigil's own logs (its audit log)`,
      ),
    type: z.literal('okta'),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'http(s) URL'),
    tokenEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
    tokenFile: z.string().optional(),
    /**
     * Who is told when an incident of this source opens and when its report is ready (issue 17): a
     * summary, no personal data. Email goes through the first `email` sink's server in
     * `alerts.sinks`; the webhook is signed like the webhook sink's, with its own secret reference.
     */
    securityContact: z
      .object({
        email: z
          .string()
          .regex(/^[^\s@]+@[^\s@]+$/, 'an email address')
          .optional(),
        webhook: z.object({ url: z.string().url(), secret: secretRefSchema }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (s) => (s.tokenEnv === undefined) !== (s.tokenFile === undefined),
    'exactly one of tokenEnv or tokenFile',
  );

export const vigilConfigSchema = z
  .object({
    sources: z.array(oktaSourceSchema).default([]),
    collect: z
      .object({
        /** Share of the provider's rate-limit budget Vigil may use (the bucket is shared with other integrations). */
        rateShare: z.number().gt(0).lte(1).default(0.5),
        // Upper bounds: Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once beyond it,
        // so an unbounded value became a tight request loop (issue 19); a day and ten minutes are plenty.
        pollIntervalSeconds: z.number().int().min(1).max(MAX_POLL_INTERVAL_SECONDS).default(60),
        requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
        pageLimit: z.number().int().min(1).max(1000).default(1000),
        /** One response body's bytes on the wire, after decompression, and its inflation ratio (issue 19). */
        maxBodyBytes: z
          .number()
          .int()
          .min(1024)
          .max(1024 ** 3)
          .default(DEFAULT_BODY_LIMITS.maxBodyBytes),
        maxDecodedBytes: z
          .number()
          .int()
          .min(1024)
          .max(1024 ** 3)
          .default(DEFAULT_BODY_LIMITS.maxDecodedBytes),
        maxCompressionRatio: z
          .number()
          .min(1)
          .max(1_000_000)
          .default(DEFAULT_BODY_LIMITS.maxCompressionRatio),
        /** The longest the provider may make one page wait; asked for more, the source's run ends until the next poll. */
        maxWaitSeconds: z.number().int().min(1).max(86_400).default(120),
        /** How far past now an event may be published and still move the source's high-water mark. */
        maxFutureSeconds: z.number().int().min(0).max(31_536_000).default(3600),
        /**
         * How far past what is live V8 lets the collector's heap grow before collecting it (core/
         * heap-policy.ts): lower is less memory for more CPU; 0 is V8's own policy (up to four times).
         */
        heapGrowthPercent: z.number().int().min(0).max(400).default(DEFAULT_HEAP_GROWTH_PERCENT),
      })
      .strict()
      .default({}),
    /** Detection for `collect`: folders of custom Sigma rules beside the pack, relative to the data directory. */
    detection: z
      .object({ rulesDirs: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({}),
    /** Posture (src/posture): configuration snapshots taken inside `vigil collect`, and when a change counts as unexplained. */
    posture: z
      .object({
        /** Minutes between snapshots inside `vigil collect`; 0 turns them off (`vigil posture snapshot` still works). */
        snapshotIntervalMinutes: z.number().int().min(0).max(10_080).default(15),
        /** How late the provider may publish an event: a change is judged unexplained only once the log was read this long after the snapshot. */
        logLagSeconds: z.number().int().min(0).max(86_400).default(60),
      })
      .strict()
      .default({}),
    /** Canary sign-ins (src/canary, docs/canaries.md): accounts, their probes, and the schedule inside collect. */
    canaries: canariesConfigSchema,
    /** Alert dedup window and sinks (src/alerts); sink secrets are resolved when delivery starts. */
    alerts: alertsConfigSchema,
    /** Witnesses every log's checkpoints go to, with their cosignature keys (src/witness). */
    witnesses: witnessesConfigSchema,
    /**
     * Where the ledgers' signing keys live (src/keys/key-directory.ts), relative to the data
     * directory; default keys/ in it. Keep it outside, readable only by the collector's user:
     * whoever can write the data and read the key can re-sign a rewritten history.
     */
    keys: z
      .object({ dir: z.string().min(1).optional() })
      .strict()
      .default({}),
    /**
     * `vigil verify`: where it remembers the largest checkpoint it verified per log (its rollback
     * memory), relative to the data directory; default verified-checkpoints.json in it. Put it where
     * the collector's user cannot write, so a rolled-back store cannot roll the memory back too.
     */
    verify: z
      .object({ memoryFile: z.string().min(1).optional() })
      .strict()
      .default({}),
  })
  .strict();

export type VigilConfig = z.infer<typeof vigilConfigSchema>;
export type SourceConfig = VigilConfig['sources'][number];

export function loadConfig(dataDir: string): VigilConfig {
  const file = path.join(dataDir, CONFIG_FILE);
  if (!existsSync(file)) return vigilConfigSchema.parse({});
  return parseConfigFile(file);
}

/**
 * A configuration file parsed whole; every problem (YAML syntax, or each schema issue with its key
 * path and line) is named in one CONFIG_INVALID error, whose `details.problems` lists them.
 */
export function parseConfigFile(file: string): VigilConfig {
  const parsed = parseConfigDocument(readFileSync(file, 'utf8'), vigilConfigSchema);
  if (parsed.ok) return parsed.value;
  const { problems } = parsed;
  const listed = problems.map(describeProblem);
  const why = problems.length === 1 ? listed[0]! : `${problems.length} problems: ${listed.join('; ')}`;
  throw new VigilError<ConfigErrorCode>('CONFIG_INVALID', `${file}: ${why}`, {
    category: 'input',
    details: { file, problems },
  });
}

export function saveConfig(dataDir: string, config: VigilConfig): void {
  const file = path.join(dataDir, CONFIG_FILE);
  writeFileSync(file, stringify(vigilConfigSchema.parse(config)), { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Reads a source's token from its environment variable or file; a file others can read is refused.
 * A relative `tokenFile` resolves against `baseDir`, the directory holding vigil.yaml (the data
 * directory): the one rule for every path in vigil.yaml (docs/configuration.md "Paths").
 */
export function resolveToken(source: SourceConfig, env: NodeJS.ProcessEnv, baseDir: string): string {
  if (source.tokenEnv) {
    const value = env[source.tokenEnv];
    if (!value) {
      throw new VigilError<ConfigErrorCode>(
        'CONFIG_SECRET_UNAVAILABLE',
        `source ${source.name}: environment variable ${source.tokenEnv} is not set`,
        {
          category: 'input',
        },
      );
    }
    return value.trim();
  }
  const file = path.resolve(baseDir, source.tokenFile!);
  const unavailable = (why: string) =>
    new VigilError<ConfigErrorCode>(
      'CONFIG_SECRET_UNAVAILABLE',
      `source ${source.name}: token file ${file} ${why}`,
      { category: 'input', details: { source: source.name, file } },
    );
  const problem = privateFileProblem(file);
  if (problem !== undefined) throw unavailable(problem);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw unavailable('cannot be read');
  }
}
