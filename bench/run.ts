/** `npm run bench`: every benchmark, on the embedded database and on PostgreSQL. */
import { machineLine } from './bench-helpers.js';
import { benchHistoryAppend } from './history-append.bench.js';

console.log(`TrustDesk benchmarks — ${machineLine()} — ${new Date().toISOString()}`);
for (const kind of ['embedded', 'postgres'] as const) {
  await benchHistoryAppend(kind);
}
