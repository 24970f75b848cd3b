import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { dumpEmbedded, openDatabase } from '../../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: { kind: 'embedded'; templateFile: string } | { kind: 'postgres'; adminUrl: string; template: string };
  }
}

/**
 * Migrates one template database per test run; every test file then clones it, which is
 * far cheaper than creating and migrating a database per file.
 */
export default async function setup(project: TestProject) {
  if (process.env.TRUSTDESK_TEST_DB === 'postgres') {
    const adminUrl = process.env.TRUSTDESK_TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TRUSTDESK_TEST_DATABASE_URL is not set: run the PostgreSQL suite with `npm run test:pg`');
    const template = `trustdesk_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    await database.close();
    project.provide('testDb', { kind: 'postgres', adminUrl, template });
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    };
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  const dump = await dumpEmbedded(database);
  await database.close();
  const templateFile = path.join(os.tmpdir(), `trustdesk-template-${process.pid}.tar`);
  fs.writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDb', { kind: 'embedded', templateFile });
  return () => fs.rmSync(templateFile, { force: true });
}
