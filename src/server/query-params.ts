import { z } from 'zod';

/** A query parameter listing values separated by commas, e.g. `?status=open,waiting_customer`. */
export function commaList<T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean)).pipe(z.array(z.enum(values)).min(1));
}
