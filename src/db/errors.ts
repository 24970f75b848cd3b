/** PostgreSQL's unique_violation (23505), whether the driver puts the code on the error or its cause. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}
