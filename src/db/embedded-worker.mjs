// The embedded database (PGlite, WebAssembly PostgreSQL) on its own thread, so the server's thread
// keeps HTTP, validation and JSON while PostgreSQL works on the other core. The main-thread side is
// `src/db/embedded-client.ts`; this file is plain JavaScript so it loads in any runner (tsx,
// vitest's forks, plain node) without a TypeScript loader in the worker.
//
// Requests: { id, op, ... } → replies { id, ok: true, result } or { id, ok: false, error }.
// Serialisation is PGlite's own: `query`/`exec` outside a transaction wait on PGlite's transaction
// mutex, so a transaction's statements never interleave with another caller's, exactly as when
// PGlite ran in the server's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = parentPort;
if (!port) throw new Error('embedded-worker.mjs runs as a worker thread');

const { dataDir, loadDataDir, pgliteWasmModule, initdbWasmModule, fsBundle } = workerData;

/** Drizzle asks for some types as PostgreSQL's text (timestamps, dates, intervals and their arrays); the main side sends their OIDs. */
const textParsers = new Map();
function queryOptions(options) {
  if (!options) return undefined;
  const out = {};
  if (options.rowMode) out.rowMode = options.rowMode;
  if (options.textTypes?.length) {
    const key = options.textTypes.join(',');
    let parsers = textParsers.get(key);
    if (!parsers) {
      parsers = Object.fromEntries(options.textTypes.map((oid) => [oid, (value) => value]));
      textParsers.set(key, parsers);
    }
    out.parsers = parsers;
  }
  if (options.paramTypes) out.paramTypes = options.paramTypes;
  return out;
}

/** Only what the main side reads: `blob` and the query options (which hold functions) stay here. */
const plain = (result) => ({ rows: result.rows, fields: result.fields, affectedRows: result.affectedRows });

/** A PostgreSQL error keeps its fields (code, detail, constraint, table…), which structured clone would drop from an Error. */
function serialiseError(err) {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error', fields: {} };
  const fields = {};
  for (const [key, value] of Object.entries(err)) {
    if (key === 'queryOptions' || typeof value === 'function') continue;
    fields[key] = value;
  }
  return { message: err.message, name: err.name, stack: err.stack, fields };
}

let pg;
/** Open transactions by id: `done` settles when the main side commits or rolls back. */
const transactions = new Map();
const rollbackMarker = Symbol('rollback');

/**
 * Starts a transaction; the main side does not wait for BEGIN before sending the transaction's
 * first statement (one round trip fewer per transaction), so statements wait for `ready` here.
 * The entry stays until the main side commits or rolls back, which it always does.
 */
function begin(txId) {
  let finish;
  const done = new Promise((resolve, reject) => { finish = { resolve, reject }; });
  let started;
  const ready = new Promise((resolve) => { started = resolve; });
  const entry = { tx: undefined, finish, promise: undefined, ready: undefined };
  entry.promise = pg.transaction(async (tx) => {
    entry.tx = tx;
    started();
    await done;
  });
  // PGlite's transaction mutex holds BEGIN until earlier transactions ended; BEGIN itself may fail.
  entry.ready = Promise.race([ready, entry.promise]);
  entry.ready.catch(() => undefined);
  transactions.set(txId, entry);
  return entry.ready;
}

async function end(txId, commit) {
  const entry = transactions.get(txId);
  if (!entry) throw new Error('Transaction is closed');
  transactions.delete(txId);
  if (commit) {
    entry.finish.resolve();
    await entry.promise;
  } else {
    entry.finish.reject(rollbackMarker);
    await entry.promise.catch((err) => { if (err !== rollbackMarker) throw err; });
  }
}

async function target(txId) {
  if (txId === undefined) return pg;
  const entry = transactions.get(txId);
  if (!entry) throw new Error('Transaction is closed');
  await entry.ready;
  return entry.tx;
}

async function handle(message) {
  switch (message.op) {
    case 'query':
      return plain(await (await target(message.txId)).query(message.sql, message.params, queryOptions(message.options)));
    case 'exec':
      return (await (await target(message.txId)).exec(message.sql, queryOptions(message.options))).map(plain);
    case 'begin':
      await begin(message.txId);
      return undefined;
    case 'commit':
      return end(message.txId, true);
    case 'rollback':
      return end(message.txId, false);
    case 'dump': {
      const dump = await pg.dumpDataDir(message.compression);
      return { buffer: await dump.arrayBuffer(), type: dump.type, name: dump.name };
    }
    case 'close':
      await pg.close();
      return undefined;
    default:
      throw new Error(`unknown request ${message.op}`);
  }
}

try {
  pg = await PGlite.create({
    dataDir,
    loadDataDir: loadDataDir ? new Blob([loadDataDir.buffer], { type: loadDataDir.type }) : undefined,
    pgliteWasmModule,
    initdbWasmModule,
    fsBundle: fsBundle ? new Blob([fsBundle]) : undefined,
  });
  port.postMessage({ id: 0, ok: true });
} catch (err) {
  port.postMessage({ id: 0, ok: false, error: serialiseError(err) });
}

port.on('message', (message) => {
  handle(message).then(
    (result) => {
      const transfer = message.op === 'dump' ? [result.buffer] : [];
      port.postMessage({ id: message.id, ok: true, result }, transfer);
    },
    (err) => port.postMessage({ id: message.id, ok: false, error: serialiseError(err) }),
  );
});
