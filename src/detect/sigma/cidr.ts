import { isIPv4, isIPv6 } from 'node:net';

/**
 * The `cidr` modifier (sigma-appendix-modifiers §cidr): IPv4 and IPv6 networks. Addresses become
 * bigints so one comparison covers both families.
 */
function ipv4Bits(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Bits(ip: string): bigint {
  let text = ip.split('%')[0] ?? '';
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const v4 = ipv4Bits(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = rest === undefined ? [] : rest ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export interface Network {
  readonly v6: boolean;
  readonly base: bigint;
  readonly mask: bigint;
}

/** Parses "10.0.0.0/8" or "2001:db8::/32"; returns undefined when it is not a network. */
export function parseCidr(cidr: string): Network | undefined {
  const [addr = '', lenText] = cidr.split('/');
  const v6 = isIPv6(addr);
  if (!v6 && !isIPv4(addr)) return undefined;
  const width = v6 ? 128 : 32;
  const len = lenText === undefined ? width : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > width || (lenText !== undefined && !/^\d+$/.test(lenText)))
    return undefined;
  const all = (1n << BigInt(width)) - 1n;
  const mask = all ^ ((1n << BigInt(width - len)) - 1n);
  const bits = v6 ? ipv6Bits(addr) : ipv4Bits(addr);
  return { v6, base: bits & mask, mask };
}

export function inNetwork(net: Network, ip: string): boolean {
  if (net.v6 ? !isIPv6(ip) : !isIPv4(ip)) return false;
  const bits = net.v6 ? ipv6Bits(ip) : ipv4Bits(ip);
  return (bits & net.mask) === net.base;
}
