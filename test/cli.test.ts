import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { openTestDatabase } from './helpers/test-database.js';

const run = promisify(execFile);
const bin = path.resolve('bin/trustdesk.mjs');

let env: NodeJS.ProcessEnv;
let dataDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-cli-'));
  env = { ...process.env, TRUSTDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  const probe = await openTestDatabase();
  if (probe.kind === 'postgres') {
    env.DATABASE_URL = probe.url;
    // Keep the database until the end; its close() drops it.
    cleanup = () => probe.close();
  } else {
    await probe.close();
  }
});
afterAll(() => cleanup?.());

async function trustdesk(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Every step starts the command as a new process that compiles its TypeScript first: seconds each on a busy machine.
const CLI_TIMEOUT = { timeout: 120_000 };

describe('the trustdesk command', CLI_TIMEOUT, () => {
  it('lists its commands with --help', async () => {
    const { code, stdout } = await trustdesk('--help');
    expect(code).toBe(0);
    for (const command of ['serve', 'migrate', 'init', 'org', 'users', 'token', 'seed', 'audit']) expect(stdout).toContain(command);
    expect((await trustdesk('init', '--help')).stdout).toContain('--admin-email');
  });

  it('bootstraps organisations, users and tokens, and verifies the history', async () => {
    const weak = await trustdesk('init', '--admin-email', 'root@bank.example', '--admin-password', 'short');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 12 characters');

    const init = await trustdesk('init', '--admin-email', 'root@bank.example', '--admin-password', 'a-strong-password', '--org-name', 'First Bank');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('first-bank');
    const again = await trustdesk('init', '--admin-email', 'x@bank.example', '--admin-password', 'a-strong-password');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has an organisation');

    expect((await trustdesk('org', 'create', '--name', 'Second Insurer', '--admin-email', 'root@insurer.example', '--admin-password', 'a-strong-password')).code).toBe(0);
    const added = await trustdesk('users', 'add', '--email', 'agent@bank.example', '--name', 'Agent Smith', '--role', 'agent', '--org', 'first-bank');
    expect(added.code, added.stderr).toBe(0);
    const token = await trustdesk('token', 'create', '--email', 'agent@bank.example');
    expect(token.stdout.trim()).toMatch(/^tdk_[A-Za-z0-9_-]{43}$/);

    const verified = await trustdesk('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('first-bank: ok');
    expect(verified.stdout).toContain('second-insurer: ok');
  });

  it('audit verify exits 2 and names the event when history was changed', async () => {
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir, migrate: false });
    await database.query("UPDATE history_events SET data = jsonb_set(data, '{name}', '\"Mallory\"') WHERE type = 'user.created' AND data->>'email' = 'agent@bank.example'");
    await database.close();
    const verified = await trustdesk('audit', 'verify', '--org', 'first-bank');
    expect(verified.code).toBe(2);
    expect(verified.stdout).toContain('TAMPERED');
    expect(verified.stdout).toContain('event content does not match its hash');
  });
});

describe('trustdesk import cases', CLI_TIMEOUT, () => {
  it('refuses a file with a bad row, naming the line, and imports nothing', async () => {
    const file = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(file, 'Title,Text,Name,Email\nOne,First complaint,Ann,ann@example.test\nTwo,Second complaint,Bob,not-an-email\n');
    const columns = JSON.stringify({ subject: 'Title', description: 'Text', customerName: 'Name', customerEmail: 'Email' });
    const bad = await trustdesk('import', 'cases', file, '--columns', columns, '--org', 'first-bank');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 3, Email: is not an e-mail address');
    expect(bad.stderr).toContain('nothing was imported');
    fs.writeFileSync(file, 'Title,Text,Name,Email\nOne,First complaint,Ann,ann@example.test\nTwo,Second complaint,Bob,bob@example.test\n');
    const good = await trustdesk('import', 'cases', file, '--columns', columns, '--org', 'first-bank');
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('2 cases imported');
  });
});
