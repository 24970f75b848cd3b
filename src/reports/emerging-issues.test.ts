import { describe, expect, it } from 'vitest';
import { judgeRise, poissonUpperLimit } from './emerging-issues.js';

describe('Poisson control limit', () => {
  it('is the 99.9 % quantile of the baseline rate (checked against R qpois(0.999, λ))', () => {
    expect(poissonUpperLimit(1)).toBe(5);
    expect(poissonUpperLimit(4)).toBe(11);
    expect(poissonUpperLimit(10)).toBe(21);
    expect(poissonUpperLimit(0)).toBe(0);
  });

  it('flags a count above the limit, never one below the minimum', () => {
    expect(judgeRise(12, 4)).toMatchObject({ alert: true, isNew: false, limit: 11 });
    expect(judgeRise(11, 4).alert).toBe(false);
    expect(judgeRise(4, 0)).toMatchObject({ alert: false, isNew: true });
    expect(judgeRise(5, 0)).toMatchObject({ alert: true, isNew: true });
  });
});
