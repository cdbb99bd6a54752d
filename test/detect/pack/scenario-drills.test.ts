import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import { SCENARIOS } from '../../../src/sim/scenarios/registry.js';
import { startSimulator } from '../../../src/sim/simulator.js';

/**
 * Attack drills (issue 6): every scenario's expected detections fire (recall 100%), and background
 * traffic raises at most 1 false alert (severity medium or above) per 10,000 events.
 */
describe('attack drills through the detection pack', () => {
  it('fires every expected detection and stays quiet on background traffic', async () => {
    const sim = await startSimulator({
      seed: 4,
      users: 150,
      days: 7,
      liveTraffic: false,
      clock: new ManualClock('2026-03-13T12:00:00Z'),
      scenarios: [...SCENARIOS.keys()].map((name) => ({ name })),
    });
    const events = [...sim.held()].sort((a, b) => a.published.localeCompare(b.published));
    await sim.close();
    const detections = (await DetectionPipeline.create()).detectAll(events);
    const attackIds = new Set(sim.scenarioTruth.flatMap((t) => t.attackEventIds));

    for (const truth of sim.scenarioTruth) {
      const mine = new Set(truth.attackEventIds);
      const fired = new Set(
        detections.filter((d) => d.eventIds.some((id) => mine.has(id))).map((d) => d.ruleId),
      );
      for (const expected of truth.expectedDetections)
        expect(fired, `${truth.scenario} → ${expected}`).toContain(expected);
    }

    const background = events.filter((e) => !attackIds.has(e.uuid)).length;
    const falseAlerts = detections.filter(
      (d) =>
        ['medium', 'high', 'critical'].includes(d.severity) && d.eventIds.every((id) => !attackIds.has(id)),
    );
    const per10k = (falseAlerts.length / background) * 10_000;
    expect(background).toBeGreaterThan(5_000);
    expect(per10k, JSON.stringify(falseAlerts.slice(0, 3).map((d) => d.title))).toBeLessThanOrEqual(1);
  });
});
