/**
 * Gathers the lookups asked for in one turn of the event loop into one query. Requests that
 * arrive together (the same poll of the sockets) each need, say, their API token checked: one
 * query with every key answers them all, and each caller still sees the database as it is now
 * (nothing is cached between turns, so a revoked token is refused on the very next request).
 */
export class LookupBatcher<K, V> {
  private pending = new Map<K, { resolve: (value: V | undefined) => void; reject: (err: unknown) => void }[]>();
  private scheduled = false;

  constructor(private readonly load: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the poll phase: every request read from the sockets in this turn has asked by then.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush() {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    try {
      const found = await this.load([...batch.keys()]);
      for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key));
    } catch (err) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    }
  }
}
