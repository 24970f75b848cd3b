/** `npm run bench`: every benchmark, on the embedded database and on PostgreSQL, with its target. */
import { execFileSync } from 'node:child_process';
import { machineLine } from './bench-helpers.js';
import { benchClockSweep } from './clock-sweep.bench.js';
import { benchExecutiveReport } from './executive-report.bench.js';
import { benchHistoryAppend } from './history-append.bench.js';
import { benchIntake } from './intake.bench.js';
import { benchScale } from './scale.bench.js';

const openCases = Number(process.env.BENCH_OPEN_CASES ?? 1_000_000);
const scaleCases = Number(process.env.BENCH_SCALE_CASES ?? 1_000_000);

const load = () => execFileSync('uptime').toString().trim().replace(/.*load average/, 'load average');
console.log(`TrustDesk benchmarks — ${machineLine()} — ${new Date().toISOString()} — ${load()}`);
for (const kind of ['embedded', 'postgres'] as const) {
  await benchIntake(kind);
}
// The same on PostgreSQL with two server processes sharing the port (TRUSTDESK_PROCESSES=2).
await benchIntake('postgres', 2);
for (const kind of ['embedded', 'postgres'] as const) {
  await benchHistoryAppend(kind);
}
// The embedded database is for one evaluator or a small team: measured at a tenth of the scale.
await benchClockSweep('embedded', Math.min(openCases, 100_000));
await benchClockSweep('postgres', openCases);
await benchScale('embedded', Math.min(scaleCases, 100_000));
await benchScale('postgres', scaleCases);
const reportCases = Number(process.env.BENCH_REPORT_CASES ?? 1_000_000);
await benchExecutiveReport('postgres', reportCases);
// Issue #8's target is for the same million cases on the embedded database (loading them into PGlite takes a few minutes).
await benchExecutiveReport('embedded', reportCases);
console.log(`done — ${load()}`);
