import type { FastifyReply } from 'fastify';

/**
 * The console's Content-Security-Policy: everything from the console itself, no inline script or
 * style (so an injected `<script>` or `style=` in provider text does nothing even if escaping failed),
 * no framing (clickjacking), forms only to the console.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer, pages, API and errors alike (issue 18 "Sessions"). */
export function securityHeaders(reply: FastifyReply, secure: boolean): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  // Answers hold evidence and personal data (tokenised or revealed): never kept by a cache.
  reply.header('cache-control', 'no-store');
  // HSTS only where the browser reached us over TLS: under plain HTTP it would be ignored or lock a
  // loopback name to https.
  if (secure) reply.header('strict-transport-security', 'max-age=31536000');
}
