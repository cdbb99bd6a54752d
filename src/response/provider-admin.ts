import { VigilError } from '../core/vigil-error.js';
import { resolveToken } from '../config/vigil-config.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AdminClient } from '../sources/admin-client.js';
import { OktaAdminClient } from '../sources/okta/okta-admin-client.js';

/**
 * The admin client of one configured source, its token resolved now (never stored), on the same
 * connection bounds as collection (`collect.rateShare`, `requestTimeoutMs`, body limits).
 */
export function adminClientOf(runtime: Runtime, source: string): AdminClient {
  const config = runtime.config.sources.find((s) => s.name === source);
  if (!config)
    throw new VigilError('CUSTODY_NO_SOURCES', `no source named ${source} in ${runtime.dataDir}/vigil.yaml`, {
      category: 'input',
      details: { source },
    });
  const { collect } = runtime.config;
  return new OktaAdminClient({
    name: config.name,
    url: config.url,
    token: resolveToken(config, runtime.options.env, runtime.dataDir),
    clock: runtime.options.clock,
    rateShare: collect.rateShare,
    requestTimeoutMs: collect.requestTimeoutMs,
    bodyLimits: {
      maxBodyBytes: collect.maxBodyBytes,
      maxDecodedBytes: collect.maxDecodedBytes,
      maxCompressionRatio: collect.maxCompressionRatio,
    },
  });
}

/** The one source a command is about: the one named, or the only one configured. */
export function sourceOf(runtime: Runtime, given: string | undefined): string {
  if (given) return given;
  const names = runtime.config.sources.map((s) => s.name);
  if (names.length === 1) return names[0]!;
  throw new VigilError(
    'CUSTODY_NO_SOURCES',
    names.length === 0
      ? `no sources in ${runtime.dataDir}/vigil.yaml; add one with 'vigil source add okta ...'`
      : `${names.length} sources are configured: name one with --source (${names.join(', ')})`,
    { category: 'input' },
  );
}
