import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.js';

describe('redactUrl', () => {
  it('masks link tokens in paths and secret query values', () => {
    expect(redactUrl('/portal/api/status/tdp_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/messages')).toBe('/portal/api/status/[redacted]/messages');
    expect(redactUrl('/s/api/anything-here')).toBe('/s/api/[redacted]');
    expect(redactUrl('/status/tdp_x')).toBe('/status/[redacted]');
    expect(redactUrl('/api/v1/cases?q=x&token=abc&limit=5')).toBe('/api/v1/cases?q=x&token=[redacted]&limit=5');
    expect(redactUrl('/api/v1/cases/0b7f6c1e-0000-4000-8000-000000000000')).toBe('/api/v1/cases/0b7f6c1e-0000-4000-8000-000000000000');
  });
});
