import { z } from 'zod';
import { roles, unitKinds } from '../db/schema/index.js';

export const idParam = z.object({ id: z.string().uuid() });

export const unitView = z.object({
  id: z.string(), name: z.string(), kind: z.enum(unitKinds), parentId: z.string().nullable(),
  timezone: z.string(), country: z.string().nullable(), depth: z.number().int(),
  leads: z.array(z.object({ id: z.string(), name: z.string() })), createdAt: z.string(),
});

const name = z.string().trim().min(1).max(200);
const country = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'ISO 3166 code, e.g. GB or GB-SCT');
const timezone = z.string().min(1).max(64);

export const createUnitBody = z.object({
  name, kind: z.enum(unitKinds), parentId: z.string().uuid(), timezone: timezone.optional(), country: country.nullish(),
}).strict();

export const updateUnitBody = z.object({
  name: name.optional(), parentId: z.string().uuid().optional(), timezone: timezone.optional(), country: country.nullable().optional(),
}).strict();

export const unitListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^\d{1,7}$/, 'invalid cursor').optional(),
  q: z.string().max(200).optional(),
  kind: z.enum(unitKinds).optional(),
  parentId: z.string().uuid().optional(),
});

export const userView = z.object({
  id: z.string(), email: z.string(), name: z.string(), role: z.enum(roles), unitId: z.string(), unitName: z.string(),
  discretionLimit: z.number().nullable(), active: z.boolean(), createdAt: z.string(), lastLoginAt: z.string().nullable(),
});

const email = z.string().trim().email().max(254);
const password = z.string().max(1024);
const discretionLimit = z.number().nonnegative().max(1e12).nullable();

export const createUserBody = z.object({
  email, name, role: z.enum(roles), unitId: z.string().uuid(), password: password.optional(),
  discretionLimit: discretionLimit.optional(),
}).strict();

export const updateUserBody = z.object({
  name: name.optional(), role: z.enum(roles).optional(), unitId: z.string().uuid().optional(),
  discretionLimit: discretionLimit.optional(), active: z.boolean().optional(), password: password.optional(),
}).strict();

export const userListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
  q: z.string().max(200).optional(),
  role: z.enum(roles).optional(),
  unitId: z.string().uuid().optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
