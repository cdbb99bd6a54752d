import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRandom } from '../core/seeded-random.js';
import { loadSigmaRules, parseSigmaRules } from '../detect/sigma/load-rules.js';
import { SigmaEngine } from '../detect/sigma/sigma-engine.js';
import type { SigmaRule } from '../detect/sigma/sigma-rule.js';
import { atLeast, type BenchmarkSuite, type BenchRow } from './benchmark.js';

/**
 * Events/s through the 24 SigmaHQ Okta rules (read from ../shared/conformance/sigma when present, as
 * in development; otherwise 24 generated rules of the same shapes: eventType lists, contains, re).
 */
const SUITE = 'sigma';
const TYPES = [
  'user.session.start',
  'user.authentication.sso',
  'policy.evaluate_sign_on',
  'user.lifecycle.create',
  'system.api_token.create',
  'user.mfa.factor.deactivate',
  'application.lifecycle.update',
  'zone.delete',
];

function syntheticRules(): SigmaRule[] {
  const docs = Array.from({ length: 24 }, (_, i) => {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const sel =
      i % 3 === 0
        ? `    eventType:\n      - ${TYPES[i % TYPES.length] ?? ''}\n      - x.${i}`
        : i % 3 === 1
          ? `    debugContext.debugData.requestUri|contains: /admin/${i}\n    securityContext.isProxy: 'true'`
          : `    actor.alternateId|re: '^svc_${i}.*'`;
    return `title: Bench ${i}\nid: ${id}\nlogsource: {product: okta, service: okta}\ndetection:\n  selection:\n${sel}\n  condition: selection\nlevel: medium\n`;
  });
  return parseSigmaRules(docs.join('---\n'), 'bench.yml');
}

async function benchRules(): Promise<{ rules: SigmaRule[]; note: string }> {
  const dir =
    process.env.VIGIL_SIGMA_RULES ?? path.resolve(process.cwd(), '..', 'shared', 'conformance', 'sigma');
  if (!existsSync(dir)) return { rules: syntheticRules(), note: '24 generated Okta-shaped rules' };
  const rules = await loadSigmaRules([dir], { placeholders: { legtimate_identifiers: ['@example.com'] } });
  return { rules, note: `${rules.length} SigmaHQ Okta rules` };
}

function events(count: number): unknown[] {
  const rnd = createRandom(5);
  return Array.from({ length: count }, (_, i) => ({
    uuid: `e${i}`,
    published: '2026-01-01T00:00:00.000Z',
    eventType: rnd.pick(TYPES),
    legacyEventType: 'core.user_auth.login_success',
    displayMessage: 'User login to Okta',
    actor: { id: `00u${rnd.int(0, 999)}`, alternateId: `user${rnd.int(0, 999)}@example.com`, type: 'User' },
    client: {
      ipAddress: `10.0.${rnd.int(0, 255)}.${rnd.int(0, 255)}`,
      userAgent: { rawUserAgent: 'Mozilla/5.0' },
    },
    outcome: { result: rnd.chance(0.9) ? 'SUCCESS' : 'FAILURE' },
    securityContext: { isProxy: rnd.chance(0.01) },
    debugContext: {
      debugData: {
        requestUri: rnd.chance(0.1) ? '/admin/users' : '/api/v1/authn',
        behaviors: '{New Device=NEGATIVE}',
      },
    },
    target: [
      { type: 'AppInstance', displayName: 'Okta Admin Console' },
      { type: 'User', displayName: 'Jane' },
    ],
  }));
}

export const SIGMA_BENCHMARK: BenchmarkSuite = {
  name: SUITE,
  async run({ quick }): Promise<BenchRow[]> {
    const { rules, note } = await benchRules();
    const engine = new SigmaEngine(rules);
    const input = events(quick ? 20_000 : 200_000);
    let hits = 0;
    const started = performance.now();
    input.forEach((ev, i) => {
      hits += engine.evaluate(ev, { timeMs: i, id: String(i) }).length;
    });
    const seconds = (performance.now() - started) / 1000;
    // Per-event latency of evaluate() (the engine's share of "event arrival → alert").
    const fresh = new SigmaEngine(rules);
    const sample = input.slice(0, 5_000).map((ev, i) => {
      const t0 = performance.now();
      fresh.evaluate(ev, { timeMs: i, id: String(i) });
      return performance.now() - t0;
    });
    sample.sort((a, b) => a - b);
    const p99 = sample[Math.floor(sample.length * 0.99)] ?? 0;
    return [
      {
        suite: SUITE,
        name: 'evaluate() latency p99',
        value: Math.round(p99 * 1000),
        unit: 'µs',
        note: 'per event, all rules',
      },
      {
        suite: SUITE,
        name: 'events through all rules',
        value: Math.round(input.length / seconds),
        unit: 'events/s',
        ...atLeast(input.length / seconds, 100_000),
        note: `${note}; ${hits} hits`,
      },
    ];
  },
};
