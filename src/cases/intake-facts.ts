import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { units, users } from '../db/schema/index.js';
import { parseSettings, type OrgSettings } from '../org/settings.js';
import { unitCalendar } from '../clocks/clock.service.js';
import type { BusinessCalendar } from '../clocks/calendar.js';

/** What intake needs of a unit: where it sits, how it routes, and its business calendar. */
export type IntakeUnit = Pick<typeof units.$inferSelect, 'id' | 'name' | 'path' | 'routing' | 'timezone' | 'country'> & { calendar: BusinessCalendar };
export type IntakeOwner = Pick<typeof users.$inferSelect, 'id' | 'name' | 'role' | 'active'>;

/** One organisation's part of a batch: its settings, the units and named owners its cases mention, and their case numbers. */
export interface IntakeFacts {
  settings: OrgSettings;
  units: Map<string, IntakeUnit>;
  owners: Map<string, IntakeOwner>;
  /** Case numbers reserved for the organisation's cases in this batch, taken in order. */
  numbers: number[];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Everything a batch of new cases reads, in one query per organisation (usually one): a batch of
 * intake used to make a round trip each for the unit, the owner, the settings, the calendar and the
 * case numbers, and on this scale the round trips cost more than the work. Numbers of cases that
 * then fail validation are skipped, as a rolled-back sequence value is.
 */
export async function readIntakeFacts(tx: Db, organisationId: string, wanted: { unitIds: string[]; ownerIds: string[]; count: number }): Promise<IntakeFacts> {
  const ids = (list: string[]) => JSON.stringify([...new Set(list)].filter((id) => uuidPattern.test(id)));
  const result = await tx.execute(sql`
    SELECT
      (SELECT settings FROM organisations WHERE id = ${organisationId}) AS settings,
      (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'path', u.path, 'routing', u.routing, 'timezone', u.timezone, 'country', u.country)), '[]'::json)
         FROM units u WHERE u.organisation_id = ${organisationId} AND u.id IN (SELECT jsonb_array_elements_text(${ids(wanted.unitIds)}::jsonb)::uuid)) AS units,
      (SELECT coalesce(json_agg(json_build_object('id', x.id, 'name', x.name, 'role', x.role, 'active', x.active)), '[]'::json)
         FROM users x WHERE x.organisation_id = ${organisationId} AND x.id IN (SELECT jsonb_array_elements_text(${ids(wanted.ownerIds)}::jsonb)::uuid)) AS owners,
      (SELECT coalesce(json_agg(nextval('case_ref_seq')), '[]'::json) FROM generate_series(1, ${wanted.count}::int)) AS numbers`);
  const [row] = (result as unknown as { rows: { settings: unknown; units: Omit<IntakeUnit, 'calendar'>[]; owners: IntakeOwner[]; numbers: (number | string)[] }[] }).rows;
  return {
    settings: parseSettings(row.settings),
    units: new Map(row.units.map((u) => [u.id, { ...u, calendar: unitCalendar(u, row.settings) }])),
    owners: new Map(row.owners.map((o) => [o.id, o])),
    numbers: row.numbers.map(Number),
  };
}
