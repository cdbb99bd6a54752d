import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, configSim } from './config-harness.js';
import { T0 } from './sim-harness.js';

const MINUTE = 60_000;

/**
 * A scenario placed after the simulator starts (a drill's attack) changes the configuration when its
 * events happen, not before: a snapshot taken before the attack shows the org as it was.
 */
describe('a scenario placed in the future changes the configuration at its time', () => {
  let s: Awaited<ReturnType<typeof configSim>>;
  const attackAt = Date.parse(T0) + 5 * MINUTE;
  beforeAll(async () => {
    s = await configSim({ scenarios: [{ name: 'cross-tenant-2023', at: attackAt }] });
  });
  afterAll(async () => {
    await s.sim.close();
  });

  it('the admin rule stays at 2FA and the IdP absent until the events, then both are there', async () => {
    const truth = s.sim.scenarioTruth[0]!;
    const idp = truth.breach!.containment.find((c) => c.kind === 'deactivate-idp')!;
    const rule = truth.breach!.containment.find((c) => c.kind === 'revert-policy-rule')!;
    if (!('target' in idp) || !('target' in rule)) throw new Error('ground truth without targets');
    const policy = s.sim.org.adminConsolePolicy;
    const factorMode = async () =>
      at(
        (await s.call('GET', `/api/v1/policies/${policy.id}/rules/${rule.target}`)).json,
        'actions.appSignOn.verificationMethod.factorMode',
      );

    expect(await factorMode()).toBe('2FA');
    expect((await s.call('GET', `/api/v1/idps/${idp.target}`)).status).toBe(404);

    // The policy is weakened 28 minutes in, the IdP created 5 minutes later.
    s.clock.set(attackAt + 29 * MINUTE);
    expect(await factorMode()).toBe('1FA');
    expect((await s.call('GET', `/api/v1/idps/${idp.target}`)).status).toBe(404);
    s.clock.set(attackAt + 34 * MINUTE);
    expect((await s.call('GET', `/api/v1/idps/${idp.target}`)).status).toBe(200);
  });
});
