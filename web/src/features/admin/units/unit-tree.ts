import type { Unit } from '../../../lib/types';

/**
 * The API lists units depth-first (parents before children), so a unit's descendants are the
 * rows right after it with a greater depth. Used to stop a unit being moved under itself.
 */
export function descendantIds(units: readonly Unit[], id: string): Set<string> {
  const ids = new Set<string>();
  const start = units.findIndex((unit) => unit.id === id);
  if (start < 0) return ids;
  const depth = units[start]!.depth;
  for (let i = start + 1; i < units.length && units[i]!.depth > depth; i += 1) ids.add(units[i]!.id);
  return ids;
}

/** Units a unit may be moved under: any but itself and its own subtree. */
export function parentOptions(units: readonly Unit[], excludeId?: string) {
  const excluded = excludeId ? descendantIds(units, excludeId).add(excludeId) : new Set<string>();
  return units.filter((unit) => !excluded.has(unit.id)).map((unit) => ({ value: unit.id, label: unit.name }));
}

export function matchesFilter(unit: Unit, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [unit.name, unit.kind, unit.timezone, unit.country ?? '', ...unit.leads.map((lead) => lead.name)].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

/** A timezone is valid when the browser's Intl knows it (it ships the IANA database). */
export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
