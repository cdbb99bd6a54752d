import { parseSigmaRules, SigmaEngine } from '../../../src/detect/sigma/index.js';

/** Builds a one-rule engine from a detection body (YAML, indented under `detection:`). */
export function ruleYaml(detection: string, extra = ''): string {
  const body = detection
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `title: Test rule\nid: 11111111-2222-4333-8444-555555555555\nlevel: high\nlogsource:\n  product: okta\n  service: okta\ndetection:\n${body}\n${extra}`;
}

/** A predicate: does the rule built from `detection` match `event`? */
export function matcher(detection: string): (event: unknown) => boolean {
  const engine = new SigmaEngine(parseSigmaRules(ruleYaml(detection), 'test.yml'));
  return (event) => engine.evaluate(event, { timeMs: 0, id: 'e' }).length > 0;
}
