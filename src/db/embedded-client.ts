import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The embedded database (PGlite) running in a worker thread (`embedded-worker.mjs`), seen from the
 * server's thread through the part of PGlite's interface that drizzle's `pglite` driver, its
 * migrator and our own code use: `query` (with `rowMode` and text-keeping `parsers`), `exec`,
 * `transaction` (with `query`, `exec`, `rollback`), `dumpDataDir` and `close`.
 *
 * Why: PGlite is single-threaded WebAssembly; on the server's thread it shared one core with HTTP
 * parsing, validation, auth and JSON while the machine's other core sat idle. Now the database
 * works on its own thread and each statement costs one message each way (rows travel by
 * structured clone, which keeps Dates, bigints, arrays and parsed JSON as they are).
 */

export interface Field { name: string; dataTypeID: number }
export interface Results<T = Record<string, unknown>> { rows: T[]; fields: Field[]; affectedRows?: number }
export interface QueryOptions {
  rowMode?: 'object' | 'array';
  /** Only parsers that keep PostgreSQL's text (what drizzle passes) can cross to the worker. */
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
  paramTypes?: number[];
}
export interface Transaction {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string, options?: QueryOptions): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

export interface EmbeddedOptions {
  dataDir: string;
  loadDataDir?: Blob;
}

interface Pending { resolve: (value: unknown) => void; reject: (err: unknown) => void }
interface SerialisedError { message: string; name: string; stack?: string; fields: Record<string, unknown> }
type Reply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: SerialisedError };

const workerUrl = new URL('./embedded-worker.mjs', import.meta.url);

/**
 * PGlite's WebAssembly compiled once per process and its file-system bundle read once, shared with
 * every worker (a compiled module crosses threads without being compiled again): test files open
 * several databases, each in its own worker.
 */
let artifacts: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: ArrayBuffer }> | undefined;
function pgliteArtifacts() {
  return artifacts ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
      WebAssembly.compile(await fs.promises.readFile(path.join(dist, 'pglite.wasm'))),
      WebAssembly.compile(await fs.promises.readFile(path.join(dist, 'initdb.wasm'))),
    ]);
    const data = await fs.promises.readFile(path.join(dist, 'pglite.data'));
    return { pgliteWasmModule, initdbWasmModule, fsBundle: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer };
  })();
}

function revive(error: SerialisedError): Error {
  const err = new Error(error.message);
  err.name = error.name;
  Object.assign(err, error.fields);
  // The caller's stack says where the statement came from; the worker's says where PGlite failed.
  if (error.stack) err.stack = `${err.stack}\n    --- in the embedded database worker ---\n${error.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

/** SQLSTATE 57P02 (crash_shutdown): `isDatabaseUnavailable` answers such requests 503. */
function stoppedError(detail: string): Error {
  return Object.assign(new Error(`The embedded database worker stopped: ${detail}`), { code: '57P02' });
}

/** Keeps the process alive only while a request is waiting for the worker, like PGlite in the server's thread. */
export class EmbeddedClient {
  private nextId = 1;
  private nextTxId = 1;
  private pending = new Map<number, Pending>();
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private exited: Promise<void>;

  private constructor(private worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (err) => this.fail(stoppedError(err instanceof Error ? err.message : String(err))));
    worker.on('exit', (code) => this.fail(stoppedError(`exit code ${code}`)));
    worker.unref();
  }

  static async create(options: EmbeddedOptions): Promise<EmbeddedClient> {
    const shared = await pgliteArtifacts();
    let loadDataDir: { buffer: ArrayBuffer; type: string } | undefined;
    if (options.loadDataDir) loadDataDir = { buffer: await options.loadDataDir.arrayBuffer(), type: options.loadDataDir.type };
    const fsBundle = shared.fsBundle.slice(0); // the worker's own copy, moved rather than copied again
    const worker = new Worker(workerUrl, {
      workerData: { dataDir: options.dataDir, loadDataDir, ...shared, fsBundle },
      transferList: loadDataDir ? [loadDataDir.buffer, fsBundle] : [fsBundle],
      // The worker is plain JavaScript: no TypeScript loader (tsx, vitest) needs to follow it.
      execArgv: [],
    });
    const client = new EmbeddedClient(worker);
    try {
      await client.expect(0);
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return client;
  }

  get closed(): boolean {
    return this.closing !== undefined || this.failure !== undefined;
  }

  private expect(id: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  }

  private settle(reply: Reply) {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(revive(reply.error));
  }

  private fail(err: Error) {
    if (!this.failure && !this.closing) this.failure = err;
    for (const waiting of this.pending.values()) waiting.reject(this.failure ?? err);
    this.pending.clear();
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing && message.op !== 'close') return Promise.reject(new Error('The embedded database is closed'));
    const id = this.nextId++;
    const result = this.expect(id) as Promise<T>;
    this.worker.postMessage({ ...message, id });
    return result;
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions, txId?: number): Promise<Results<T>> {
    return this.call({ op: 'query', sql, params, options: wireOptions(options), txId });
  }

  exec(sql: string, options?: QueryOptions, txId?: number): Promise<Results[]> {
    return this.call({ op: 'exec', sql, options: wireOptions(options), txId });
  }

  /**
   * BEGIN … COMMIT in the worker; the callback's statements go to this transaction only. Other
   * callers' statements wait in the worker (PGlite's transaction mutex) until it ends. An error
   * rolls back and is rethrown; the connection is usable after.
   */
  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const txId = this.nextTxId++;
    // Not awaited: the first statement follows BEGIN in the worker's queue; if BEGIN fails, so does
    // that statement (or the commit), with BEGIN's error.
    this.call({ op: 'begin', txId }).catch(() => undefined);
    let closed = false;
    const guard = () => { if (closed) throw new Error('Transaction is closed'); };
    const tx: Transaction = {
      query: async (sql, params, options) => { guard(); return this.query(sql, params, options, txId); },
      exec: async (sql, options) => { guard(); return this.exec(sql, options, txId); },
      rollback: async () => { guard(); closed = true; await this.call({ op: 'rollback', txId }); },
      get closed() { return closed; },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (err) {
      if (!closed) {
        closed = true;
        await this.call({ op: 'rollback', txId }).catch(() => undefined);
      }
      throw err;
    }
    if (!closed) {
      closed = true;
      await this.call({ op: 'commit', txId });
    }
    return result;
  }

  async dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'none'): Promise<File> {
    const dump = await this.call<{ buffer: ArrayBuffer; type: string; name: string }>({ op: 'dump', compression });
    return new File([dump.buffer], dump.name || 'pgdata.tar', { type: dump.type });
  }

  /** Closes PostgreSQL in the worker (checkpoint, files closed), then ends the thread. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const closing = this.failure
      ? this.worker.terminate().then(() => undefined)
      : this.call({ op: 'close' }).finally(() => this.worker.terminate()).then(() => this.exited);
    this.closing = closing;
    return closing;
  }
}

function wireOptions(options: QueryOptions | undefined) {
  if (!options) return undefined;
  const textTypes: number[] = [];
  for (const [oid, parser] of Object.entries(options.parsers ?? {})) {
    // A function cannot cross threads; the ones drizzle passes return PostgreSQL's text as it is.
    if (parser('2026-01-01 00:00:00+00', Number(oid)) !== '2026-01-01 00:00:00+00') throw new Error(`the embedded database worker only supports parsers that keep the text (type ${oid})`);
    textTypes.push(Number(oid));
  }
  return { rowMode: options.rowMode, textTypes, paramTypes: options.paramTypes };
}
