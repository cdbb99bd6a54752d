import { describe, expect, it } from 'vitest';
import { ipv4, zoneHolds } from '../../src/sim/authn/ip-zones.js';

describe('network zones hold client addresses', () => {
  const zone = (gateways: unknown[], extra: Record<string, unknown> = {}) => ({
    type: 'IP',
    status: 'ACTIVE',
    gateways,
    ...extra,
  });

  it('CIDR and RANGE gateways, at their edges', () => {
    const z = zone([
      { type: 'CIDR', value: '10.1.2.0/24' },
      { type: 'RANGE', value: '198.51.100.10-198.51.100.20' },
    ]);
    expect(
      ['10.1.2.0', '10.1.2.255', '198.51.100.10', '198.51.100.20'].map((ip) => zoneHolds(z, ip)),
    ).toEqual([true, true, true, true]);
    expect(['10.1.3.0', '10.1.1.255', '198.51.100.9', '198.51.100.21'].map((ip) => zoneHolds(z, ip))).toEqual(
      [false, false, false, false],
    );
    expect(zoneHolds(zone([{ type: 'CIDR', value: '0.0.0.0/0' }]), '255.255.255.255')).toBe(true);
    expect(zoneHolds(zone([{ type: 'CIDR', value: '192.0.2.7/32' }]), '::ffff:192.0.2.7')).toBe(true);
  });

  it('an inactive zone, a dynamic zone, IPv6 and malformed gateways hold nothing', () => {
    const gw = [{ type: 'CIDR', value: '10.0.0.0/8' }];
    expect(zoneHolds(zone(gw, { status: 'INACTIVE' }), '10.0.0.1')).toBe(false);
    expect(zoneHolds(zone(gw, { type: 'DYNAMIC' }), '10.0.0.1')).toBe(false);
    expect(zoneHolds(zone(gw), '2001:db8::1')).toBe(false);
    expect(
      zoneHolds(
        zone([{ type: 'CIDR', value: '10.0.0.0/33' }, { type: 'RANGE', value: 'x-y' }, null]),
        '10.0.0.1',
      ),
    ).toBe(false);
    expect(zoneHolds(undefined, '10.0.0.1')).toBe(false);
    expect(ipv4('256.1.1.1')).toBeUndefined();
    expect(ipv4('1.2.3')).toBeUndefined();
  });
});
