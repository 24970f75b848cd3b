/**
 * What the request log may show. Secrets travel in headers (redacted by path) and, for links
 * e-mailed to customers (portal status, survey answers), in the URL itself: those segments and
 * any secret-looking query value are masked before a line is written.
 */
const SECRET_SEGMENT = /^td[a-z]_[A-Za-z0-9_-]{20,}$/;
const SECRET_QUERY = /([?&](?:token|key|secret|password|code)=)[^&]*/gi;

export function redactUrl(url: string): string {
  const [pathname, query] = splitOnce(url, '?');
  const masked = pathname.split('/').map((segment, i, all) => {
    const previous = all[i - 1];
    const isLinkToken = previous === 'status' || (previous === 'api' && all[i - 2] === 's');
    return segment && (isLinkToken || SECRET_SEGMENT.test(decodeURIComponent(segment))) ? '[redacted]' : segment;
  }).join('/');
  return query === undefined ? masked : `${masked}?${query}`.replace(SECRET_QUERY, '$1[redacted]');
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** Headers that carry credentials, in pino's redact-path syntax. */
export const redactedPaths = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
];

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** The request as logged: method, masked URL, host and client address (no headers, no body). */
export function serializeRequest(req: LoggedRequest) {
  return { method: req.method, url: redactUrl(req.url), host: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
