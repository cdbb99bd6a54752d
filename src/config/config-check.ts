import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sinkLabel } from '../alerts/alerts-config.js';
import { resolveSecret, secretRefSchema } from '../alerts/sinks/secret-ref.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import { DetectionPipeline } from '../detect/pipeline/detection-pipeline.js';
import { parseConfigDocument, type ConfigProblem } from './config-document.js';
import { resolveCanarySecrets } from './canary-config.js';
import type { ConfigErrorCode } from './errors.js';
import { resolveToken, vigilConfigSchema, type VigilConfig } from './vigil-config.js';

export interface ConfigCheck {
  readonly file: string;
  /** Every problem found; none means the file would start a collector. */
  readonly problems: readonly ConfigProblem[];
  /** The parsed configuration, when the file itself is valid (its secrets may still be missing). */
  readonly config?: VigilConfig;
}

/**
 * `vigil config check`: everything a collector would refuse at start-up, all at once. First the
 * file (YAML syntax, then every schema issue with its key path and line); if the file is valid,
 * then every reference it makes: each source's token, each sink's secrets and CA file, each
 * canary's password and TOTP seed and its source, and the custom Sigma rule folders. Relative paths resolve against the directory holding the file, as
 * they do for a collector whose data directory holds it (docs/configuration.md "Paths").
 */
export async function checkConfigFile(file: string, env: NodeJS.ProcessEnv): Promise<ConfigCheck> {
  if (!existsSync(file))
    throw new VigilError<ConfigErrorCode>('CONFIG_FILE_MISSING', `no configuration file at ${file}`, {
      category: 'input',
      details: { file },
    });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new VigilError<ConfigErrorCode>('CONFIG_FILE_MISSING', `cannot read ${file}: ${String(cause)}`, {
      category: 'input',
      details: { file },
      cause,
    });
  }
  const parsed = parseConfigDocument(text, vigilConfigSchema);
  if (!parsed.ok) return { file, problems: parsed.problems };
  const config = parsed.value;
  const baseDir = path.dirname(file);
  const problems: ConfigProblem[] = [];
  const check = (where: string, keyPath: string, use: () => unknown) => {
    try {
      use();
    } catch (error) {
      if (!isVigilError(error)) throw error;
      problems.push({ path: keyPath, where, message: error.message });
    }
  };
  config.sources.forEach((source, i) => {
    const key = source.tokenEnv === undefined ? 'tokenFile' : 'tokenEnv';
    check(`sources.${i}.${key}`, `sources.${i}.${key}`, () => resolveToken(source, env, baseDir));
  });
  config.alerts.sinks.forEach((sink, i) => {
    const label = sinkLabel(i, sink);
    for (const [key, value] of Object.entries(sink)) {
      const ref = secretRefSchema.safeParse(value);
      if (ref.success)
        check(`${label}: ${key}`, `alerts.sinks.${i}.${key}`, () =>
          resolveSecret(ref.data, { env, baseDir }),
        );
      if (key === 'caFile' && typeof value === 'string' && !existsSync(path.resolve(baseDir, value)))
        problems.push({
          path: `alerts.sinks.${i}.caFile`,
          where: `${label}: caFile`,
          message: `CA file ${path.resolve(baseDir, value)} does not exist`,
        });
    }
  });
  config.canaries.users.forEach((user, i) => {
    check(`canaries.users.${i}`, `canaries.users.${i}`, () => resolveCanarySecrets(user, env, baseDir));
    if (!config.sources.some((source) => source.name === user.source))
      problems.push({
        path: `canaries.users.${i}.source`,
        where: `canaries.users.${i}.source`,
        message: `canary ${user.login}: no source named ${user.source}`,
      });
  });
  const rulesDirs = config.detection.rulesDirs.map((dir) => path.resolve(baseDir, dir));
  if (rulesDirs.length > 0) {
    try {
      await DetectionPipeline.factory({ extraRuleDirs: rulesDirs });
    } catch (error) {
      if (!isVigilError(error)) throw error;
      problems.push({ path: 'detection.rulesDirs', where: 'detection.rulesDirs', message: error.message });
    }
  }
  return { file, problems, config };
}
