import type { UnitKind } from '../db/schema/index.js';

/** Units nest company → division → region → team; a level may be skipped, never reversed. */
const rank: Record<UnitKind, number> = { company: 0, division: 1, region: 2, team: 3 };

export function canNest(parentKind: UnitKind, childKind: UnitKind): boolean {
  return rank[childKind] > rank[parentKind];
}

export function childPath(parentPath: string, id: string): string {
  return `${parentPath}${id}/`;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Depth-first order, siblings by name: how people read an org chart. */
export function sortAsTree<T extends { id: string; parentId: string | null; name: string }>(units: T[]): T[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, T[]>();
  for (const u of units) {
    // A unit whose parent is out of view (a lead's subtree) is shown as a root.
    const key = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(key, [...(children.get(key) ?? []), u]);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const out: T[] = [];
  const visit = (parent: string | null) => {
    for (const u of children.get(parent) ?? []) {
      out.push(u);
      visit(u.id);
    }
  };
  visit(null);
  return out;
}
