import { describe, expect, it } from 'vitest';
import {
  asSeverity,
  isSeverity,
  maxSeverity,
  meetsSeverity,
  SEVERITIES,
  severitiesAtLeast,
  severityRank,
} from '../../src/detect/severity.js';

describe('severity order', () => {
  it('ranks informational < low < medium < high < critical', () => {
    expect(SEVERITIES).toEqual(['informational', 'low', 'medium', 'high', 'critical']);
    expect(SEVERITIES.map(severityRank)).toEqual([0, 1, 2, 3, 4]);
    expect(meetsSeverity('high', 'medium')).toBe(true);
    expect(meetsSeverity('medium', 'medium')).toBe(true);
    expect(meetsSeverity('low', 'medium')).toBe(false);
    expect(severitiesAtLeast('high')).toEqual(['high', 'critical']);
  });

  it('raises but never lowers, and reads unknown Sigma levels as medium', () => {
    expect(maxSeverity('low', 'critical')).toBe('critical');
    expect(maxSeverity('critical', 'low')).toBe('critical');
    expect(isSeverity('high')).toBe(true);
    expect(isSeverity('severe')).toBe(false);
    expect(asSeverity('critical')).toBe('critical');
    expect(asSeverity('')).toBe('medium');
  });
});
