import { Client } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallSim } from './sim-harness.js';

/**
 * Fidelity checked from outside (docs/design.md "The simulator is part of the product"): Okta's own Node
 * SDK pages the simulator's System Log through its normal Link-header paging.
 */
describe("Okta's Node SDK against the simulator", () => {
  let s: Awaited<ReturnType<typeof smallSim>>;
  let client: Client;
  beforeAll(async () => {
    s = await smallSim({ users: 30, faults: { lateRate: 0.1, lateMaxMs: 10 * 60_000 } });
    client = new Client({ orgUrl: s.sim.baseUrl, token: s.sim.token });
  });
  afterAll(() => s.sim.close());

  it('reads every committed event exactly once through a bounded query', async () => {
    const collection = await client.systemLogApi.listLogEvents({
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-10T12:00:00Z',
      limit: 17,
    });
    const ids: string[] = [];
    for await (const event of collection) if (event) ids.push(event.uuid!);
    expect(ids.length).toBe(s.sim.truth().length);
    expect(new Set(ids)).toEqual(new Set(s.sim.truth().map((e) => e.uuid)));
  });

  it('reads every committed event exactly once through a polling query (stopping when caught up)', async () => {
    const want = s.sim.truth().length;
    const collection = await client.systemLogApi.listLogEvents({ since: '2026-03-01T00:00:00Z', limit: 23 });
    const ids: string[] = [];
    // Polling never ends (a next link is always present), so the consumer stops itself.
    await collection.each((event) => {
      ids.push(event.uuid!);
      return ids.length < want;
    });
    expect(ids.length).toBe(want);
    expect(new Set(ids)).toEqual(new Set(s.sim.truth().map((e) => e.uuid)));
  });
});
