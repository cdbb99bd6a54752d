import { VigilError } from '../core/vigil-error.js';
import { resolveCanarySecrets } from '../config/canary-config.js';
import { resolveToken } from '../config/vigil-config.js';
import type { Runtime } from '../runtime/runtime.js';
import { OktaAuthnClient } from '../sources/okta/okta-authn-client.js';
import type { CanaryTarget } from './canary-service.js';
import type { CanaryErrorCode } from './errors.js';

/** How the provider's log names the probe runner: a canary event with another User-Agent is foreign. */
export const CANARY_USER_AGENT = 'vigil-canary/1';

/**
 * The configured canaries per source (`only`: one source), each with its provider client and its
 * secrets read now from where vigil.yaml points. A canary of an unknown source, or a missing secret,
 * is a coded input error naming it; nothing is probed.
 */
export function canaryTargets(runtime: Runtime, only?: string): CanaryTarget[] {
  const { config, options } = runtime;
  const users = config.canaries.users.filter((u) => only === undefined || u.source === only);
  if (users.length === 0)
    throw new VigilError<CanaryErrorCode>(
      'CANARY_NONE',
      `no canaries${only === undefined ? '' : ` of source ${only}`} in ${runtime.dataDir}/vigil.yaml (canaries.users; docs/canaries.md)`,
      { category: 'input' },
    );
  const targets: CanaryTarget[] = [];
  for (const name of [...new Set(users.map((u) => u.source))]) {
    const source = config.sources.find((s) => s.name === name);
    if (!source)
      throw new VigilError<CanaryErrorCode>(
        'CANARY_NONE',
        `canaries.users names source ${name}, which is not in ${runtime.dataDir}/vigil.yaml`,
        { category: 'input' },
      );
    const client = new OktaAuthnClient({
      name,
      url: source.url,
      token: resolveToken(source, options.env, runtime.dataDir),
      clock: options.clock,
      userAgent: CANARY_USER_AGENT,
      requestTimeoutMs: config.collect.requestTimeoutMs,
      rateShare: config.collect.rateShare,
    });
    targets.push({
      source: name,
      client,
      clientIp: config.canaries.clientIp ?? null,
      users: users
        .filter((u) => u.source === name)
        .map((user) => ({ user, secrets: resolveCanarySecrets(user, options.env, runtime.dataDir) })),
    });
  }
  return targets;
}
