import { BlockList, isIP } from 'node:net';
import type { Ioc } from './incident.js';

/** What an event offers to be matched against indicators. */
export interface IocSubject {
  /** `client.ipAddress` and every `request.ipChain[].ip`. */
  readonly ips: readonly string[];
  readonly userAgent: string | null;
  readonly asn: number | null;
}

/**
 * Matches events against an incident's indicators (okta-api.md §4.4: the HAR-file hunt is
 * `client.ipAddress` / `request.ipChain[].ip` in the list OR the raw user agent in the list).
 * Returns why an event matched, as `ioc:<kind>:<value>` strings, in the indicators' order.
 */
export class IocMatcher {
  readonly #ips = new Map<string, string>();
  readonly #ranges: { list: BlockList; value: string }[] = [];
  readonly #agents: { lower: string; value: string }[] = [];
  readonly #asns = new Map<number, string>();

  constructor(iocs: readonly Ioc[]) {
    for (const ioc of iocs) {
      if (ioc.kind === 'ip') this.#ips.set(normalizeIp(ioc.value), ioc.value);
      else if (ioc.kind === 'asn') this.#asns.set(Number(ioc.value), ioc.value);
      else if (ioc.kind === 'user-agent')
        this.#agents.push({ lower: ioc.value.toLowerCase(), value: ioc.value });
      else {
        const [address, bits] = ioc.value.split('/') as [string, string];
        const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
        const list = new BlockList();
        list.addSubnet(address, Number(bits), family);
        this.#ranges.push({ list, value: ioc.value });
      }
    }
  }

  get empty(): boolean {
    return this.#ips.size + this.#ranges.length + this.#agents.length + this.#asns.size === 0;
  }

  /** The plain IP indicators, for an indexed lookup before matching. */
  get plainIps(): string[] {
    return [...this.#ips.values()];
  }

  get asns(): number[] {
    return [...this.#asns.keys()];
  }

  /** True when only plain IPs and ASNs are given: a store lookup by column finds every hit. */
  get indexable(): boolean {
    return this.#ranges.length === 0 && this.#agents.length === 0;
  }

  hits(subject: IocSubject): string[] {
    const why = new Set<string>();
    for (const raw of subject.ips) {
      if (isIP(raw) === 0) continue;
      // An IPv4-mapped address (::ffff:a.b.c.d) is matched as the IPv4 address it carries.
      const ip = normalizeIp(raw);
      const kind = isIP(ip);
      const plain = this.#ips.get(ip);
      if (plain !== undefined) why.add(`ioc:ip:${plain}`);
      for (const range of this.#ranges)
        if (range.list.check(ip, kind === 6 ? 'ipv6' : 'ipv4')) why.add(`ioc:cidr:${range.value}`);
    }
    if (subject.userAgent) {
      const ua = subject.userAgent.toLowerCase();
      for (const agent of this.#agents)
        if (ua.includes(agent.lower)) why.add(`ioc:user-agent:${agent.value}`);
    }
    if (subject.asn !== null) {
      const asn = this.#asns.get(subject.asn);
      if (asn !== undefined) why.add(`ioc:asn:${asn}`);
    }
    return [...why];
  }
}

/** One spelling per address: lower-case IPv6, no IPv4-mapped prefix. */
function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}
