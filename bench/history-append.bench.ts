/**
 * History appends: 8 concurrent writers, each appending events in its own transaction, to
 * 8 different streams versus all to one stream. On PostgreSQL the first should be faster:
 * appends to different streams do not queue on one row lock; appends to one stream do.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/client.js';
import { appendEvent } from '../src/history/history.service.js';
import { createOrganisation } from '../src/org/organisation.service.js';
import { withBenchDatabase, printResult } from './bench-helpers.js';

const WRITERS = 8;
const PER_WRITER = Number(process.env.BENCH_EVENTS ?? 250);

async function appendRun(database: Database, organisationId: string, streamFor: (writer: number) => string) {
  const started = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = 0; i < PER_WRITER; i++) {
      await database.db.transaction((tx) => appendEvent(tx, {
        organisationId, stream: streamFor(w), type: 'bench.event', actorId: null, at: new Date(), data: { w, i, note: 'x'.repeat(100) },
      }));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return (WRITERS * PER_WRITER) / seconds;
}

export async function benchHistoryAppend(kind: 'embedded' | 'postgres') {
  await withBenchDatabase(kind, async (database) => {
    const org = await createOrganisation(database.db, { name: `Bench ${randomUUID()}`, adminEmail: 'bench@example.test', adminPassword: 'bench-password-1' }, new Date());
    const run = randomUUID();
    const spread = await appendRun(database, org.id, (w) => `bench:${run}:${w}`);
    const single = await appendRun(database, org.id, () => `bench:${run}:hot`);
    printResult(`history append, ${kind}, 8 writers, 8 streams`, spread, 'events/s');
    printResult(`history append, ${kind}, 8 writers, 1 stream`, single, 'events/s');
    console.log(`  ratio different streams / one stream: ${(spread / single).toFixed(2)}`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kind = (process.argv[2] ?? 'embedded') as 'embedded' | 'postgres';
  await benchHistoryAppend(kind);
}
