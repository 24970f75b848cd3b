import { JobMonitor } from './job-monitor.js';

/** The last failure writing an uploaded file, until a write succeeds again. */
export class StorageMonitor {
  lastError?: { message: string; code?: string; at: Date };

  failed(err: Error & { code?: string }) {
    this.lastError = { message: err.message.slice(0, 300), code: err.code, at: new Date() };
  }

  succeeded() {
    this.lastError = undefined;
  }
}

/** Per-process operational state: what the background work and the file store last did. */
export interface Ops {
  jobs: JobMonitor;
  storage: StorageMonitor;
}

export function createOps(): Ops {
  return { jobs: new JobMonitor(), storage: new StorageMonitor() };
}
