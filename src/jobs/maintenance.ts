import { purgeExpiredSessions } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { anchorHistory } from '../history/history.service.js';
import { listOrganisations } from '../org/organisation.service.js';

const INTERVAL_MS = 60_000;

/** Seals new history into anchors and drops expired sessions, once a minute. */
export async function runMaintenance(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  for (const org of await listOrganisations(ctx.db)) await anchorHistory(ctx.db, org.id, now);
  await purgeExpiredSessions(ctx.db, now);
}

export function startMaintenance(ctx: AppContext, onError: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runMaintenance(ctx).catch(onError).finally(() => { running = false; });
  }, INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
