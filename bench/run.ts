/** `npm run bench`: every benchmark, on the embedded database and on PostgreSQL, with its target. */
import { machineLine } from './bench-helpers.js';
import { benchClockSweep } from './clock-sweep.bench.js';
import { benchExecutiveReport } from './executive-report.bench.js';
import { benchHistoryAppend } from './history-append.bench.js';

const openCases = Number(process.env.BENCH_OPEN_CASES ?? 1_000_000);

console.log(`TrustDesk benchmarks — ${machineLine()} — ${new Date().toISOString()}`);
for (const kind of ['embedded', 'postgres'] as const) {
  await benchHistoryAppend(kind);
}
// The embedded database is for one evaluator or a small team: measured at a tenth of the scale.
await benchClockSweep('embedded', Math.min(openCases, 100_000));
await benchClockSweep('postgres', openCases);
const reportCases = Number(process.env.BENCH_REPORT_CASES ?? 1_000_000);
await benchExecutiveReport('postgres', reportCases);
// The embedded run at a tenth of the scale, as for the clock sweep (loading a million cases into PGlite dominates).
await benchExecutiveReport('embedded', Math.min(reportCases, 100_000));
