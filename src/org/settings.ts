import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { defaultPolicyRules } from '../clocks/policies.js';
import { organisations } from '../db/schema/index.js';

/**
 * The root-cause taxonomy for complaints. Defaults follow the FCA complaints return's main
 * causes (DISP 1 Annex 1), which also serves root-cause analysis (DISP 1.3.3).
 */
export const defaultCategories = [
  'Arrears related',
  'Advising, selling and arranging',
  'Terms and disputed sums/charges',
  'General admin/customer service',
  'Delays/timescales',
  'Errors',
  'Fraud and scams',
  'Product performance/features',
  'Closure/cancellation',
  'Credit file and reporting',
  'Other',
];

const settingsSchema = z.object({
  categories: z.array(z.string().min(1).max(120)).min(1).default(defaultCategories),
  products: z.array(z.string().min(1).max(120)).default([]),
  retentionYears: z.number().int().min(1).max(100).default(3),
  longRetentionYears: z.number().int().min(1).max(100).default(5),
  /** Products whose records are kept longer, e.g. pensions and mortgages. */
  longRetentionProducts: z.array(z.string()).default(['Mortgage']),
  /** Escalate at a clock's warning as well as at its breach. */
  escalateOnWarning: z.boolean().default(false),
  /** Which clock policy a new case runs, first match wins (see clocks/policies.ts). */
  policyRules: z.array(z.object({
    match: z.object({ kind: z.string().optional(), product: z.string().optional(), channel: z.string().optional(), unitId: z.string().optional() }),
    policy: z.string(),
  })).default(defaultPolicyRules),
});

export type OrgSettings = z.infer<typeof settingsSchema>;

export function parseSettings(raw: unknown): OrgSettings {
  return settingsSchema.parse(raw ?? {});
}

export async function getSettings(db: Db, organisationId: string): Promise<OrgSettings> {
  const [row] = await db.select({ settings: organisations.settings }).from(organisations).where(eq(organisations.id, organisationId));
  return parseSettings(row?.settings);
}
