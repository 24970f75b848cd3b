import fs from 'node:fs';
import type { Clock } from '../context.js';

/**
 * For tests of several real processes only (TRUSTDESK_TEST_CLOCK_FILE): the time is the real time
 * plus an offset in milliseconds read from a file that every process shares, so a test can move
 * "now" forward for all of them at once (reminders, climbs, digests) without waiting for it.
 * The file is re-read every 100 ms; a missing or unreadable file means no offset.
 */
export function fileClock(file: string): Clock & { stop(): void } {
  let offsetMs = 0;
  const read = () => {
    try {
      const n = Number(fs.readFileSync(file, 'utf8').trim());
      offsetMs = Number.isFinite(n) ? n : 0;
    } catch {
      offsetMs = 0;
    }
  };
  read();
  const timer = setInterval(read, 100);
  timer.unref();
  return { now: () => new Date(Date.now() + offsetMs), stop: () => clearInterval(timer) };
}
