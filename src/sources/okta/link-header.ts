/**
 * RFC 8288 Link header values. Okta sends `self` and `next` as two separate header lines
 * (okta-api.md §1.4); fetch joins repeated lines with ", ", so both forms arrive here as one string.
 */
export function parseLinkHeader(value: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!value) return links;
  for (const m of value.matchAll(/<([^>]*)>\s*;\s*rel="?([^";,]+)"?/g)) links[m[2]!.trim()] = m[1]!;
  return links;
}
