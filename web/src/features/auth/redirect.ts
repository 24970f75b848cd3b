/** `/login?next=…` keeps where the user wanted to go across a reload of the login page. */
export function loginPath(next: string): string {
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

/**
 * Only same-app paths are followed after login: an absolute or protocol-relative `next`
 * (`https://evil`, `//evil`) would make our login page an open redirect.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
