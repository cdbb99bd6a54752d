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

  it("answers the SDK README's `since: new Date()` as Okta's documentation says Okta does: 400 E0000001", async () => {
    // The SDK puts a Date into the query as Date#toString ("Tue Mar 10 2026 12:00:00 GMT+0000 ..."),
    // not RFC 3339; Okta requires RFC 3339 for since and until (docs/simulator.md).
    const at = new Date(s.clock.now());
    const refused = await client.systemLogApi.listLogEvents({ since: at as unknown as string, limit: 5 });
    await expect(refused.each(() => false)).rejects.toBeDefined();
    const sent = s.sim.requestLog().at(-1)!;
    expect(sent.status).toBe(400);
    const url = new URL(sent.path, s.sim.baseUrl);
    expect(url.searchParams.get('since')).toBe(at.toString());
    expect(JSON.parse((await s.get(url.search)).text)).toMatchObject({ errorCode: 'E0000001' });
    // The same instant as an ISO string is accepted.
    const accepted = await client.systemLogApi.listLogEvents({ since: at.toISOString(), limit: 5 });
    await accepted.each(() => false);
    expect(s.sim.requestLog().at(-1)!.status).toBe(200);
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
