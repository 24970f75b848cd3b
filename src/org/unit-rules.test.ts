import { describe, expect, it } from 'vitest';
import { canNest, childPath, isValidTimezone, sortAsTree } from './unit-rules.js';

describe('unit rules', () => {
  it('nests company → division → region → team, skipping allowed, never reversed', () => {
    expect(canNest('company', 'division')).toBe(true);
    expect(canNest('company', 'team')).toBe(true);
    expect(canNest('region', 'region')).toBe(false);
    expect(canNest('team', 'division')).toBe(false);
  });

  it('builds materialised paths', () => {
    expect(childPath('/a/', 'b')).toBe('/a/b/');
  });

  it('knows IANA timezones', () => {
    expect(isValidTimezone('Europe/London')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });

  it('orders depth-first with siblings by name, orphans as roots', () => {
    const units = [
      { id: '3', parentId: '1', name: 'Zeta' },
      { id: '1', parentId: null, name: 'Company' },
      { id: '2', parentId: '1', name: 'Alpha' },
      { id: '4', parentId: '2', name: 'Alpha team' },
      { id: '5', parentId: 'out-of-view', name: 'Orphan' },
    ];
    expect(sortAsTree(units).map((u) => u.name)).toEqual(['Company', 'Alpha', 'Alpha team', 'Zeta', 'Orphan']);
  });
});
