/** PostgreSQL's unique_violation (23505), whether the driver puts the code on the error or its cause. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

/** Error codes and messages meaning "the database cannot be reached right now", not "this query is wrong". */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const unavailableMessages = [
  'Connection terminated', 'connection timeout', 'timeout exceeded when trying to connect',
  'Client has encountered a connection error', 'Cannot use a pool after calling end', 'terminating connection',
  'the database system is', 'Client was closed and is not queryable',
];

/**
 * True when the database is down, restarting or unreachable: SQLSTATE class 08 (connection
 * exception), 57P01–57P03 (shut down by an administrator, crash, cannot connect now), socket
 * errors, or the pool's own connection messages. Such a request is answered 503, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (unavailableCodes.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (unavailableMessages.some((m) => message.includes(m))) return true;
  }
  return false;
}

/**
 * The innermost cause's message ("connect ECONNREFUSED …", "terminating connection …"): what an
 * operator needs, without the failed SQL and its parameters (customer data) that the wrapper carries.
 */
export function rootCauseMessage(err: unknown): string {
  let e = err as { message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e?.cause && depth < 5; depth++) e = e.cause as typeof e;
  return String(e?.message ?? err).slice(0, 300);
}
