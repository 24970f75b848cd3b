import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * An operator may read /metrics and the detail of /api/v1/health: whoever sends
 * TRUSTDESK_METRICS_TOKEN as a Bearer token, or, without a token configured, a client on this
 * machine. req.ip honours TRUSTDESK_TRUST_PROXY, so a request relayed by a trusted local reverse
 * proxy is judged by where it really came from.
 */
export function operatorAccess(req: FastifyRequest, token: string | undefined): 'ok' | 'bad_token' | 'not_local' {
  if (token) {
    const [scheme, given] = (req.headers.authorization ?? '').split(' ');
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(token);
    return scheme?.toLowerCase() === 'bearer' && a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'bad_token';
  }
  return loopback.has(req.ip) ? 'ok' : 'not_local';
}
