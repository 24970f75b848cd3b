/**
 * Bad input on every route of the OpenAPI document, public and authenticated: malformed,
 * oversized, wrongly typed and unicode-edge requests (lone surrogates, NUL, RTL marks, huge
 * numbers, deep nesting, prototype-pollution keys, wrong content types, broken encodings).
 * Zero 5xx; every error in the documented shape `{error:{code,message,details?}}`; no rejected
 * request changes the database (row counts and a checksum of every table's contents).
 *
 * Runs FUZZ_RUNS requests (default 2,500; e.g. FUZZ_RUNS=50000 for a long soak) with a fixed seed
 * (FUZZ_SEED to vary it); a failure prints the request that caused it.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableChecksums } from './helpers/db-snapshot.js';
import { buildOrgTree, type OrgTree, signIn } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

let t: TestApp;
let tree: OrgTree;
let session: { cookie: string; csrfToken: string };

interface Route { method: string; path: string; hasBody: boolean; bodyKeys: string[]; queryKeys: string[] }
let routes: Route[];

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t, 'Fuzz Bank');
  session = await signIn(t, tree.users.leadA.email);
  const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
  routes = Object.entries(doc.paths as Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> }; parameters?: { in: string; name: string }[] }>>)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(), path, hasBody: Boolean(op.requestBody),
      bodyKeys: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
      queryKeys: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })));
  // Credentials are used once before the snapshot: "last used" stamps are written at most once a minute.
  for (const token of [tree.org.adminToken, tree.users.agentB.token]) await t.request({ method: 'GET', url: '/api/v1/auth/me', token });
  await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session.cookie } });
}, 120_000);
afterAll(() => t?.close());

// ------------------------------------------------------------------------------------------
// Generators

const nasty = fc.constantFrom(
  '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83dy', '\u202e\u202dRTL\u200f', '\u200b\u200d\ufeff', '\ufffe\uffff',
  'e\u0301\u0301\u0301', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '💥'.repeat(100), '<script>alert(1)</script>', "'; DROP TABLE cases; --", '%00', '../../etc/passwd',
  '{{customer.name}}', '${7*7}', '\r\nX-Injected: 1', ' ', '', 'null', 'NaN', '-0', '1e309',
);
const hugeString = fc.integer({ min: 10_000, max: 120_000 }).map((n) => 'x'.repeat(n));
const anyString = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }), hugeString);
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), 2 ** 64, 0.1 + 0.2, -0, 1e-320, 12345678901234567890);
/** Arrays or objects nested far deeper than any real body. */
const deep = fc.integer({ min: 50, max: 3000 }).chain((depth) => fc.constantFrom(
  JSON.parse('['.repeat(Math.min(depth, 900)) + ']'.repeat(Math.min(depth, 900))),
  Array.from({ length: Math.min(depth, 900) }).reduce<object>((inner) => ({ a: inner }), {}),
));
const pollution = fc.constantFrom<object>(
  JSON.parse('{"__proto__":{"polluted":true,"role":"admin"}}'),
  { constructor: { prototype: { polluted: true } } },
  JSON.parse('{"__proto__":null}'),
  { prototype: { isAdmin: true } },
);
const weird: fc.Arbitrary<unknown> = fc.oneof(
  anyString, hugeNumber, fc.boolean(), fc.constant(null), deep, pollution,
  fc.array(anyString, { maxLength: 5 }), fc.dictionary(anyString, anyString, { maxKeys: 4 }), fc.integer(), fc.double(),
);

/** A body with the route's own keys filled with wrong or extreme values, plus an unknown key so it can never be valid. */
const bodyFor = (route: Route) => fc.oneof(
  fc.tuple(fc.subarray(route.bodyKeys), fc.array(weird, { minLength: 8, maxLength: 8 }), anyString, weird).map(([keys, values, extraKey, extra]) => ({
    ...Object.fromEntries(keys.map((k, i) => [k, values[i % values.length]])), [`zz_${String(extraKey).slice(0, 30)}`]: extra,
  })),
  fc.tuple(pollution, fc.subarray(route.bodyKeys)).map(([p, keys]) => Object.assign(JSON.parse(JSON.stringify(p)) as object, ...keys.map((k) => ({ [k]: { $gt: '' } })))),
  fc.array(weird, { maxLength: 4 }), anyString, hugeNumber, fc.constant(null), deep,
);

/** Raw payloads: not JSON at all, broken JSON, broken UTF-8, or huge. */
const rawPayload = fc.constantFrom<string | Buffer>(
  '{"a":', '{"a":1,}', "{'a':1}", '[1,2', '{"a":NaN}', '{"a":1e999}', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}',
  '['.repeat(100_000), '{"a":'.repeat(20_000), Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x7d]), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
  'a=1&b=2&__proto__[polluted]=1', '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n', '', 'x'.repeat(1_100_000),
);
const contentType = fc.constantFrom(
  'application/json', 'application/json; charset=utf-16', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'multipart/form-data', 'application/xml', 'application/octet-stream', '', 'application/json; charset=utf-8; x=\u0000',
);
/** Path parameters: ids of the wrong shape, encodings that decode to invalid text, and traversal attempts. */
const paramValue = fc.oneof(
  fc.uuid().map(encodeURIComponent), fc.constantFrom('not-a-uuid', '%00', '%ED%A0%80', '%C0%AF', '%FF%FE', '..%2F..%2Fetc', '%2e%2e', 'all', '0', '-1', 'tdp_' + 'a'.repeat(43)),
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))), fc.constant('x'.repeat(5000)).map((x) => x),
);
/** Query strings: the route's own parameters with wrong values, repeated keys and pollution keys. */
const queryFor = (route: Route) => fc.array(fc.tuple(
  fc.oneof(fc.constantFrom(...(route.queryKeys.length ? route.queryKeys : ['limit'])), fc.constantFrom('__proto__[polluted]', 'constructor[prototype][x]', 'limit', 'cursor', 'sort')),
  fc.oneof(paramValue, fc.constantFrom('1e309', '-1', '99999999999999999999', '[]', '{}', 'true', '', 'NaN')),
), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));

type Credentials = 'none' | 'admin' | 'agent' | 'session' | 'session-no-csrf' | 'bogus-token' | 'malformed-header';
const credentials = fc.constantFrom<Credentials>('none', 'admin', 'admin', 'agent', 'session', 'session-no-csrf', 'bogus-token', 'malformed-header');

function headersFor(c: Credentials): Record<string, string> {
  switch (c) {
    case 'admin': return { authorization: `Bearer ${tree.org.adminToken}` };
    case 'agent': return { authorization: `Bearer ${tree.users.agentB.token}` };
    case 'session': return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    case 'session-no-csrf': return { cookie: session.cookie };
    case 'bogus-token': return { authorization: 'Bearer tdk_' + 'A'.repeat(43) };
    case 'malformed-header': return { authorization: 'Bearer\u0000 \ud800' };
    default: return {};
  }
}

const request = fc.integer({ min: 0, max: 10_000 }).chain((i) => {
  const route = routes[i % routes.length];
  return fc.record({
    route: fc.constant(route),
    params: fc.array(paramValue, { minLength: 3, maxLength: 3 }),
    query: queryFor(route),
    body: fc.oneof({ weight: 3, arbitrary: bodyFor(route).map((b) => ({ json: b })) }, { weight: 1, arbitrary: rawPayload.map((r) => ({ raw: r })) }),
    contentType,
    creds: credentials,
  });
});

function toInject(r: fc.Arbitrary<unknown> extends never ? never : { route: Route; params: string[]; query: string; body: { json?: unknown; raw?: string | Buffer }; contentType: string; creds: Credentials }): InjectOptions {
  let n = 0;
  const path = r.route.path.replace(/\{[^}]+\}/g, () => r.params[n++] ?? 'x');
  const url = r.query ? `${path}?${r.query}` : path;
  const payload = 'raw' in r.body && r.body.raw !== undefined ? r.body.raw : JSON.stringify(r.body.json) ?? 'null';
  // Signing out is the one write any caller may make; the fuzzer's session must survive the run.
  const headers: Record<string, string> = r.route.path === '/api/v1/auth/logout' ? {} : { ...headersFor(r.creds) };
  if (r.contentType) headers['content-type'] = r.contentType;
  const withBody = r.route.method !== 'GET' && r.route.method !== 'HEAD';
  return { method: r.route.method as 'POST', url, headers, ...(withBody ? { payload } : {}), remoteAddress: `10.99.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
}

const describeRequest = (o: InjectOptions) => `${o.method} ${String(o.url).slice(0, 200)} ${JSON.stringify(o.headers).slice(0, 200)} ${String(o.payload ?? '').slice(0, 300)}`;

function checkErrorShape(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  expect(res.statusCode, `5xx for ${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode < 400) return;
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  try { body = JSON.parse(res.body); } catch { /* reported below */ }
  expect(body?.error, `${res.statusCode} not in the error shape for ${what}: ${res.body.slice(0, 300)}`).toBeDefined();
  expect(Object.keys(body!).sort(), what).toEqual(['error']);
  expect(body!.error!.code, what).toMatch(/^[a-z_]+$/);
  expect(typeof body!.error!.message, what).toBe('string');
  expect(Object.keys(body!.error!).every((k) => ['code', 'message', 'details'].includes(k)), what).toBe(true);
  expect(String(res.headers['content-type']), what).toContain('application/json');
}

describe('fuzzing every route', () => {
  it(`${RUNS} malformed, oversized, wrongly typed and unicode-edge requests: no 5xx, errors in shape, nothing changed`, async () => {
    expect(routes.length).toBeGreaterThan(50);
    const before = await tableChecksums(t.database);
    const accepted: string[] = [];
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const options = toInject(r);
      const res = await t.request(options);
      seen.add(`${r.route.method} ${r.route.path}`);
      checkErrorShape(res, describeRequest(options));
      // A route that takes a body never accepts these; a route without one ignores it (then only the checksum below speaks).
      if (r.route.hasBody && res.statusCode < 300) accepted.push(`${res.statusCode} ${describeRequest(options)}`);
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    expect(accepted, `the fuzzer's requests are invalid by construction, yet these writes were accepted:\n${accepted.join('\n')}`).toEqual([]);
    expect(await tableChecksums(t.database)).toEqual(before);
    // Nothing reached the object prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    if (RUNS >= 1000) expect(routes.filter((r) => !seen.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  }, 600_000);

  it('each route, with every credential kind, answers a deeply nested, polluting body without a 5xx', async () => {
    const before = await tableChecksums(t.database);
    const body = JSON.stringify({ __proto__: { polluted: 1 }, a: JSON.parse('['.repeat(500) + ']'.repeat(500)), s: '\ud800\u0000\u202e' }).replace('"a"', '"__proto__":{"polluted":1},"a"');
    for (const route of routes) {
      for (const creds of ['none', 'admin', 'session'] as const) {
        const options: InjectOptions = {
          method: route.method as 'POST', url: route.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'), headers: { ...headersFor(creds), 'content-type': 'application/json' },
          ...(route.method === 'GET' ? {} : { payload: body }),
        };
        const res = await t.request(options);
        checkErrorShape(res, describeRequest(options));
      }
    }
    expect(await tableChecksums(t.database)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 300_000);
});
