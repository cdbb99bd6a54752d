import type { ConfigObject } from '../config/config-model.js';

/** An IPv4 address as a number, or undefined for anything else (IPv6, a name, garbage). */
export function ipv4(address: string): number | undefined {
  const text = address.startsWith('::ffff:') ? address.slice(7) : address;
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether an IPv4 address is inside one gateway entry: `{type: "CIDR", value: "a.b.c.d/n"}` or `{type: "RANGE", value: "a-b"}`. */
function inGateway(ip: number, gateway: unknown): boolean {
  const { type, value } = (gateway ?? {}) as { type?: unknown; value?: unknown };
  if (typeof value !== 'string') return false;
  if (type === 'CIDR') {
    const [base, bits] = value.split('/');
    const start = ipv4(base ?? '');
    const n = Number(bits ?? 32);
    if (start === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
    const size = 2 ** (32 - n);
    const first = start - (start % size);
    return ip >= first && ip < first + size;
  }
  if (type === 'RANGE') {
    const [from, to] = value.split('-').map((v) => ipv4(v.trim()));
    if (from === undefined) return false;
    return ip >= from && ip <= (to ?? from);
  }
  return false;
}

/**
 * Whether a network zone holds the client address: an ACTIVE IP zone whose gateways hold it.
 * Dynamic zones (locations, ASNs, proxy types) need a geolocation the simulator does not do: they
 * never hold an address.
 */
export function zoneHolds(zone: ConfigObject | undefined, address: string): boolean {
  if (!zone || zone['status'] !== 'ACTIVE' || zone['type'] !== 'IP') return false;
  const ip = ipv4(address);
  if (ip === undefined) return false;
  const gateways = Array.isArray(zone['gateways']) ? (zone['gateways'] as unknown[]) : [];
  return gateways.some((g) => inGateway(ip, g));
}
