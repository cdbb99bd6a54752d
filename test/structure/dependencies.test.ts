import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

// The same check as `npm run structure`: the rules (layers, dialect folders, drivers, no cycles) live
// in .dependency-cruiser.cjs, each with the reason for it.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const describeViolation = (violation: IViolation): string => {
  const edge =
    violation.cycle === undefined || violation.cycle.length === 0
      ? `${violation.from} → ${violation.to}`
      : [violation.from, ...violation.cycle.map((step) => step.name)].join(' → ');
  return `${violation.rule.name}: ${edge}`;
};

describe('module structure (.dependency-cruiser.cjs)', () => {
  let result: ICruiseResult;

  beforeAll(async () => {
    const previousDirectory = process.cwd();
    // dependency-cruiser reports paths relative to, and reads tsconfig.json from, the working directory.
    process.chdir(ROOT);
    try {
      const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
      const output = await cruise(['src'], options, undefined, {
        tsConfig: extractTSConfig('tsconfig.json'),
      });
      if (typeof output.output === 'string') throw new TypeError('expected the JSON result of a cruise');
      result = output.output;
    } finally {
      process.chdir(previousDirectory);
    }
  });

  it('cruised src/, type-only imports included', () => {
    expect(result.summary.totalCruised).toBeGreaterThan(50);
    const typeOnly = result.modules.some((module) =>
      module.dependencies.some((dependency) => dependency.dependencyTypes.includes('type-only')),
    );
    expect(typeOnly, 'no type-only import seen: is tsPreCompilationDeps still on?').toBe(true);
  });

  it('breaks no rule: no upward or sideways import between layers, no cycle, drivers in their adapters', () => {
    const violations = result.summary.violations.map(describeViolation);
    expect(violations, `${violations.length} violation(s):\n${violations.join('\n')}`).toEqual([]);
  });
});
