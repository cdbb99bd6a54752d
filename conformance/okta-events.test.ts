import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oktaLogEventSchema } from '../src/sources/okta/log-event.js';
import { generateOrgHistory } from '../src/sim/org-history.js';
import { CONFORMANCE_DIR, conformancePath } from './shared-conformance.js';

/** Field paths of a JSON value, arrays folded to `[]`, free-form maps cut at their root. */
function paths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => paths(v, `${prefix}[]`, out));
  else if (value && typeof value === 'object') {
    if (/(debugData|detailEntry|detail|changeDetails)$/.test(prefix)) out.add(prefix);
    else for (const [k, v] of Object.entries(value)) paths(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== null) out.add(prefix);
  return out;
}

function readLines(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

describe.skipIf(!CONFORMANCE_DIR)('real Okta events parse into the domain type the simulator emits', () => {
  const dir = CONFORMANCE_DIR ? conformancePath('okta', 'elastic-pipeline') : '';
  const elastic = CONFORMANCE_DIR ? readdirSync(dir).flatMap((f) => readLines(`${dir}/${f}`)) : [];
  const samples = CONFORMANCE_DIR ? readLines(conformancePath('okta', 'sample-events.jsonl')) : [];

  it('all 71 Elastic pipeline events and 8 samples parse strictly (no unknown field)', () => {
    expect(elastic).toHaveLength(71);
    expect(samples).toHaveLength(8);
    for (const [i, event] of [...elastic, ...samples].entries()) {
      const result = oktaLogEventSchema.safeParse(event);
      expect(
        result.success,
        `event ${i}: ${result.success ? '' : JSON.stringify(result.error.issues[0])}`,
      ).toBe(true);
    }
  });

  it('the simulator emits the field paths real events carry', () => {
    const real = new Set<string>();
    for (const e of [...elastic, ...samples]) paths(e, '', real);
    const simulated = new Set<string>();
    for (const e of generateOrgHistory({
      seed: 3,
      users: 50,
      days: 3,
      endMs: Date.parse('2026-03-10T12:00:00Z'),
    })) {
      paths(e, '', simulated);
    }
    // Paths only some real events have (device posture, client.ipChain on hook samples, insertionTimestamp)
    // are modelled in the type; the simulator need not emit them on background traffic.
    const optional =
      /^(device\.|client\.ipChain|insertionTimestamp|authenticationContext\.(issuer|credentialType))/;
    const missing = [...real].filter((p) => !simulated.has(p) && !optional.test(p));
    expect(missing).toEqual([]);
  });
});
