/**
 * The one way the web app talks to the TrustDesk API.
 *
 * - JSON in and out, cookies same-origin (the session cookie is httpOnly, we never see it).
 * - Every non-GET request carries the CSRF token from the last login or /auth/me answer,
 *   because the server rejects cookie-authenticated writes without it.
 * - Error bodies `{"error":{code,message,details}}` become a thrown ApiError.
 * - A 401 on an ordinary call means the session ended: listeners (the session hook) are told,
 *   and the app shows the login page.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Login and /auth/me answer 401 as a normal outcome, not as "your session ended". */
  ignoreUnauthorized?: boolean;
  /** A body sent as it is (e.g. a CSV file) with its own content type, instead of `body` as JSON. */
  raw?: { body: Blob | string; contentType: string };
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    // Empty filters mean "no filter"; sending `q=` could be read by the server as "match empty".
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.raw) headers['content-type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ? options.raw.body : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' && error.message ? error.message : error.code;
    return new ApiError(response.status, error.code, message, error.details);
  }
  // A proxy or a crash can answer without our error shape; keep the status so callers can react.
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`.trim());
}

/** Asks the server for a fresh CSRF token (e.g. after the server restarted and forgot the old one). */
async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('/api/v1/auth/me', { ignoreUnauthorized: true });
  if (!response.ok) return false;
  const me = (await response.json()) as { csrfToken?: string };
  if (!me.csrfToken) return false;
  setCsrfToken(me.csrfToken);
  return true;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options);

  if (!response.ok && response.status === 403 && (options.method ?? 'GET') !== 'GET') {
    const error = await toApiError(response.clone());
    // One retry with a fresh token: a stale token is not the user's fault.
    if (error.code === 'csrf_invalid' && (await refreshCsrfToken())) response = await send(path, options);
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && !options.ignoreUnauthorized) {
      setCsrfToken(null);
      unauthorizedListeners.forEach((listener) => listener());
    }
    throw error;
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

/** Shape of every list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
