import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3199);
/** Specs that check e-mail start a real SMTP server on this port (e2e/helpers); others leave mail queued. */
export const smtpPort = Number(process.env.E2E_SMTP_PORT ?? port + 1000);

/** End-to-end tests in Debian's Chromium (no browser download) against the real server. */
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: 'npx tsx src/main.ts',
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(port), HOST: '127.0.0.1', TRUSTDESK_DATA_DIR: 'memory://e2e', TRUSTDESK_DEMO: '1', LOG_LEVEL: 'warn', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, TRUSTDESK_JOB_INTERVAL_MS: '500' },
    stdout: 'pipe',
  },
});
