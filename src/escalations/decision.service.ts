import { randomUUID } from 'node:crypto';
import { desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { caseScope } from '../cases/case.query.js';
import { caseStream, loadCase } from '../cases/case.service.js';
import { requireWork } from '../cases/case.access.js';
import type { AppContext } from '../context.js';
import { cases, decisionKinds, decisions, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { raiseEscalation } from './escalation.service.js';

type Kind = (typeof decisionKinds)[number];

/**
 * A discretion decision: within the person's limit it applies at once; beyond it (or a policy
 * exception by someone who is not a lead) it becomes an approval escalation to someone whose
 * limit covers it.
 */
export async function recordDecision(ctx: AppContext, actor: Actor, caseId: string, input: { kind: Kind; amount?: number | null; rationale: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, caseId);
    requireWork(actor, facts);
    const [me] = await tx.select({ limit: users.discretionLimit }).from(users).where(inOrg(users, actor.organisationId, eq(users.id, actor.userId)));
    const limit = me?.limit === null || me?.limit === undefined ? 0 : Number(me.limit);
    const amount = input.amount ?? 0;
    const needsApproval = amount > limit || (input.kind === 'policy_exception' && actor.role !== 'lead' && actor.role !== 'admin');
    const id = randomUUID();
    await tx.insert(decisions).values({
      id, organisationId: actor.organisationId, caseId, kind: input.kind, amount: input.amount ?? null, rationale: input.rationale,
      decidedBy: actor.userId, state: needsApproval ? 'pending_approval' : 'applied', createdAt: now, decidedAt: needsApproval ? null : now,
    });
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: caseStream(caseId), type: needsApproval ? 'decision.requested' : 'decision.applied', actorId: actor.userId, at: now,
      data: { decisionId: id, kind: input.kind, amount: input.amount ?? null, rationale: input.rationale, limit },
    });
    let escalation = null;
    if (needsApproval) {
      escalation = await raiseEscalation(tx, ctx, {
        organisationId: actor.organisationId, caseId, reason: 'discretion', createdBy: actor.userId, decisionId: id,
        minLimit: amount > limit ? amount : undefined,
        note: `${actor.name} proposes a ${input.kind.replace('_', ' ')}${input.amount ? ` of ${input.amount.toFixed(2)}` : ''} on ${row.c.ref}: ${input.rationale}`,
      });
      await tx.update(decisions).set({ escalationId: escalation.id }).where(inOrg(decisions, actor.organisationId, eq(decisions.id, id)));
    }
    const [decision] = await tx.select().from(decisions).where(inOrg(decisions, actor.organisationId, eq(decisions.id, id)));
    return { decision: toView(decision), escalationId: escalation?.id ?? null };
  });
}

function toView(d: typeof decisions.$inferSelect) {
  return {
    id: d.id, caseId: d.caseId, kind: d.kind, amount: d.amount === null ? null : Number(d.amount), rationale: d.rationale, decidedBy: d.decidedBy,
    state: d.state, escalationId: d.escalationId, approvedBy: d.approvedBy, approvalNote: d.approvalNote,
    createdAt: d.createdAt.toISOString(), decidedAt: d.decidedAt?.toISOString() ?? null,
  };
}

/** Decisions in scope: one case's, or the decisions report over a period. */
export async function listDecisions(ctx: AppContext, actor: Actor, filter: { caseId?: string; state?: string[]; from?: string; to?: string; limit: number }) {
  if (filter.caseId) await loadCase(ctx.db, actor, filter.caseId);
  const rows = await ctx.db.select({ d: decisions, ref: cases.ref, decidedByName: users.name }).from(decisions)
    .innerJoin(cases, eq(cases.id, decisions.caseId))
    .innerJoin(users, eq(users.id, decisions.decidedBy))
    .where(inOrg(decisions, actor.organisationId, caseScope(actor),
      filter.caseId ? eq(decisions.caseId, filter.caseId) : undefined,
      filter.state ? inArray(decisions.state, filter.state as (typeof decisions.$inferSelect)['state'][]) : undefined,
      filter.from ? gte(decisions.createdAt, new Date(filter.from)) : undefined,
      filter.to ? lt(decisions.createdAt, new Date(filter.to)) : undefined))
    .orderBy(desc(decisions.createdAt)).limit(filter.limit);
  return rows.map((r) => ({ ...toView(r.d), caseRef: r.ref, decidedByName: r.decidedByName }));
}

