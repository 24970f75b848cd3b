import fs from 'node:fs';
import path from 'node:path';
import { dumpEmbedded, type Database } from '../db/client.js';

/** A consistent, compressed copy of the embedded database (PGlite's own data-directory dump). */
export async function backupEmbedded(database: Database): Promise<Buffer> {
  const dump = await dumpEmbedded(database, 'gzip');
  return Buffer.from(await dump.arrayBuffer());
}

/** An embedded data directory holds a database once PostgreSQL's version file is there. */
export function holdsDatabase(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * Makes `dataDir` ready to receive a restored database. A directory that already holds one is
 * refused unless `force`; then it is renamed (never deleted: a restore should not destroy the only
 * other copy) and its uploaded files (attachments, evidence) move into the fresh directory. Returns where the old one went.
 */
export function prepareRestoreDir(dataDir: string, force: boolean): string | undefined {
  if (!holdsDatabase(dataDir)) return undefined;
  if (!force) throw new RestoreRefused(`${dataDir} already holds a database; stop the server and add --force to replace it (the old one is kept, renamed)`);
  const aside = `${dataDir.replace(/\/+$/, '')}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(dataDir, aside);
  fs.mkdirSync(dataDir, { recursive: true });
  for (const area of ['attachments', 'evidence']) {
    if (fs.existsSync(path.join(aside, area))) fs.renameSync(path.join(aside, area), path.join(dataDir, area));
  }
  return aside;
}

export class RestoreRefused extends Error {}
