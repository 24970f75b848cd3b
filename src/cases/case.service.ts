import { randomUUID } from 'node:crypto';
import { eq, inArray, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  caseClocks, caseMessages, cases, caseTransfers, units, users,
  type caseChannels, type caseKinds, type casePriorities, type CaseStatus, type caseOutcomes, type redressKinds,
} from '../db/schema/index.js';
import { insertRowsSql } from '../db/bulk.js';
import { type IntakeFacts, type IntakeOwner, type IntakeUnit, readIntakeFacts } from './intake-facts.js';
import { isUniqueViolation } from '../db/errors.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent, appendNewStreams, type NewEvent } from '../history/history.service.js';
import { hasSentFinalLetter } from '../letters/letter.service.js';
import { inviteAfterResolution } from '../surveys/survey.service.js';
import { notify } from '../notify/notification.service.js';
import { issuePortalToken, statusPath } from '../portal/portal.service.js';
import { enqueueMail } from '../notify/outbox.service.js';
import { getSettings, type OrgSettings } from '../org/settings.js';
import { AppError, notFound } from '../server/errors.js';
import { type CaseAccessFacts, canNoteCase, canReadCase, requireWork } from './case.access.js';
import { choosePolicy } from '../clocks/policies.js';
import { type ClockRow, listClockRows, meetClocks, pauseClocks, planClocks, requirePolicy, restartClocks, resumeClocks, toClockView } from '../clocks/clock.service.js';
import { canMove, detectComplaint, formatCaseRef, isActive, retentionUntil } from './case.js';
import { routeCase } from './case.routing.js';

export type CaseRow = typeof cases.$inferSelect;
type Kind = (typeof caseKinds)[number];
type Channel = (typeof caseChannels)[number];
type Priority = (typeof casePriorities)[number];
type Outcome = (typeof caseOutcomes)[number];
type RedressKind = (typeof redressKinds)[number];

/** Cases without a deadline sort after every deadline, oldest first. */
const NO_DEADLINE_OFFSET_MS = 1000 * 365.25 * 86_400_000;
export function sortDueAt(nextDueAt: Date | null, receivedAt: Date): Date {
  return nextDueAt ?? new Date(receivedAt.getTime() + NO_DEADLINE_OFFSET_MS);
}

export const caseStream = (id: string) => `case:${id}`;

export interface NewCaseInput {
  subject: string;
  description: string;
  customer: { name: string; email?: string | null; phone?: string | null; ref?: string | null };
  unitId: string;
  ownerId?: string;
  kind?: Kind;
  channel?: Channel;
  product?: string | null;
  category?: string | null;
  priority?: Priority;
  vulnerable?: boolean;
  vulnerabilityNote?: string | null;
  receivedAt?: Date;
  /** A clock policy key; without one the organisation's policy rules choose. */
  policy?: string;
}

/** Who creates the case: a staff member, or the system on behalf of a customer (portal, import, survey). */
export type Creator = { actor: Actor } | { system: { organisationId: string; source: string } };

function creatorOrg(creator: Creator) {
  return 'actor' in creator ? creator.actor.organisationId : creator.system.organisationId;
}
function creatorId(creator: Creator) {
  return 'actor' in creator ? creator.actor.userId : null;
}

async function requireUnitOf(db: Db, organisationId: string, unitId: string) {
  const [unit] = await db.select().from(units).where(inOrg(units, organisationId, eq(units.id, unitId)));
  if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path: 'unitId', message: 'unknown unit' }]);
  return unit;
}

export async function requireActiveUser(db: Db, organisationId: string, userId: string, path = 'ownerId') {
  const [user] = await db.select().from(users).where(inOrg(users, organisationId, eq(users.id, userId)));
  if (!user) throw new AppError('unprocessable', 'That user does not exist', [{ path, message: 'unknown user' }]);
  if (!user.active) throw new AppError('unprocessable', 'That user is deactivated', [{ path, message: 'inactive user' }]);
  return user;
}

export interface IntakeItem {
  creator: Creator;
  input: NewCaseInput;
  importId?: string;
}

/** A created case with what its detail view needs, so the answer costs no further reads. */
export interface CreatedCase {
  row: CaseRow;
  unit: { name: string; path: string };
  owner: { name: string; role: string };
  clocks: ClockRow[];
}

type Planned = { item: IntakeItem; row: Omit<CaseRow, 'ref' | 'search' | keyof typeof caseDefaults> & { ref?: string }; unit: IntakeUnit; owner: { name: string; role: string }; routed: boolean; clocks: ReturnType<typeof planClocks>; policyKey: string };
/** Columns a new case leaves to their defaults (listed so the insert's return type stays exact). */
const caseDefaults = {
  outcome: null, resolutionSummary: null, redressAmount: null, redressKind: null, resolvedAt: null, closedAt: null,
  reopenCount: 0, breached: false, legalHold: false, anonymisedAt: null,
};

const clockDefaults = { warningsFired: 0, pausedAt: null, metAt: null, breachedAt: null };

/** Memoises a lookup per key for the life of one batch. */
function memo<T>() {
  const seen = new Map<string, Promise<T>>();
  return (key: string, load: () => Promise<T>) => {
    let found = seen.get(key);
    if (!found) seen.set(key, found = load());
    return found;
  };
}

/** Whether `insertCases` writes these items in one statement (nothing to route), so it needs no transaction of its own. */
export function writesInOneStatement(items: IntakeItem[]): boolean {
  return items.length <= MAX_INTAKE_BATCH && items.every((i) => i.input.ownerId);
}

/**
 * Creates cases, each with exactly one owner (named, or routed), its clocks and its first
 * history events, inside the caller's transaction. What the batch reads (units, owners, settings,
 * calendars, case numbers) is read in one query per organisation, and the rows are written in one
 * statement, whatever the number of cases: imports and the group-committed intake pass many at
 * once. Routing reads the cases written so far, so rows planned before a routing decision are
 * written first. An item that fails validation gets its error in its slot and writes nothing;
 * the others go on.
 */
export async function insertCases(tx: Db, ctx: AppContext, items: IntakeItem[]): Promise<(CreatedCase | AppError)[]> {
  const now = ctx.clock.now();
  const facts = new Map<string, IntakeFacts>();
  for (const organisationId of new Set(items.map((i) => creatorOrg(i.creator)))) {
    const mine = items.filter((i) => creatorOrg(i.creator) === organisationId);
    facts.set(organisationId, await readIntakeFacts(tx, organisationId, {
      unitIds: mine.map((i) => i.input.unitId), ownerIds: mine.flatMap((i) => i.input.ownerId ?? []), count: mine.length,
    }));
  }
  const factsOf = (org: string) => facts.get(org)!;
  const routedOwner = memo<IntakeOwner>();
  const policyOf = memo<Awaited<ReturnType<typeof requirePolicy>>>();
  const plans = new Map<string, ReturnType<typeof planClocks>>();
  const planned: (Planned | AppError)[] = [];
  // Rows planned but not yet written: written before a routing decision, so it sees them.
  let unwritten: Planned[] = [];
  const written: Planned[] = [];
  const casesInsert = () => {
    const statement = insertRowsSql(cases, unwritten.map((p) => p.row as typeof cases.$inferInsert));
    written.push(...unwritten);
    unwritten = [];
    return statement;
  };
  for (const item of items) {
    try {
      const p = await planCase(item, now, {
        unit: (org, id) => factsOf(org).units.get(id),
        user: (org, id) => factsOf(org).owners.get(id) ?? routedOwner(`${org}|${id}`, () => requireActiveUser(tx, org, id)),
        settings: (org) => factsOf(org).settings,
        policy: (org, key) => policyOf(`${org}|${key}`, () => requirePolicy(tx, org, key)),
        // Cases received at the same moment under one policy and calendar (a batch) share their due dates.
        clocks: (policy, org, unit, caseId, receivedAt) => {
          const key = `${policy.key}|${org}|${unit.id}|${receivedAt.getTime()}`;
          let plan = plans.get(key);
          if (!plan) plans.set(key, plan = planClocks(policy, unit.calendar, { organisationId: org, id: caseId, receivedAt }));
          return { nextDueAt: plan.nextDueAt, rows: plan.rows.map((r) => ({ ...r, id: randomUUID(), caseId })) };
        },
        route: async (org, unitId) => {
          if (unwritten.length > 0) await tx.execute(casesInsert()!);
          return routeCase(tx, org, unitId);
        },
      });
      p.row.ref = formatCaseRef(p.row.receivedAt.getUTCFullYear(), factsOf(p.row.organisationId).numbers.shift()!);
      unwritten.push(p);
      planned.push(p);
    } catch (err) {
      // Validation reads only: the transaction is intact, so the other cases can go on.
      if (!(err instanceof AppError)) throw err;
      planned.push(err);
    }
  }
  if (written.length + unwritten.length === 0) return planned as AppError[];
  const remaining = casesInsert();
  const clockRows = written.flatMap((p) => p.clocks.rows.map((r) => ({ ...clockDefaults, ...r })));
  // The cases, their clocks, history and webhooks in one statement: foreign keys are checked at its end.
  await appendNewStreams(tx, written.flatMap((p) => firstEvents(p, now)), [remaining, insertRowsSql(caseClocks, clockRows)]);
  const clocksOf = new Map<string, ClockRow[]>();
  for (const c of clockRows) clocksOf.set(c.caseId, [...(clocksOf.get(c.caseId) ?? []), c]);
  return planned.map((p) => p instanceof AppError ? p : {
    row: { ...caseDefaults, ...p.row, ref: p.row.ref!, search: null } as CaseRow,
    unit: { name: p.unit.name, path: p.unit.path },
    owner: p.owner,
    clocks: (clocksOf.get(p.row.id) ?? []).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()),
  });
}

interface PlanLookups {
  unit(organisationId: string, id: string): IntakeUnit | undefined;
  user(organisationId: string, id: string): IntakeOwner | Promise<IntakeOwner>;
  settings(organisationId: string): OrgSettings;
  policy(organisationId: string, key: string): ReturnType<typeof requirePolicy>;
  clocks(policy: Awaited<ReturnType<typeof requirePolicy>>, organisationId: string, unit: IntakeUnit, caseId: string, receivedAt: Date): ReturnType<typeof planClocks>;
  route(organisationId: string, unitId: string): Promise<{ ownerId: string }>;
}

async function planCase(item: IntakeItem, now: Date, lookups: PlanLookups): Promise<Planned> {
  const { creator, input } = item;
  const organisationId = creatorOrg(creator);
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime() + 60_000) {
    throw new AppError('unprocessable', 'receivedAt cannot be in the future', [{ path: 'receivedAt', message: 'in the future' }]);
  }
  const unit = lookups.unit(organisationId, input.unitId);
  if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path: 'unitId', message: 'unknown unit' }]);
  if ('actor' in creator && creator.actor.role === 'executive') {
    throw new AppError('forbidden', 'Executives read cases; an agent, lead, compliance officer or admin opens them');
  }
  if ('actor' in creator && creator.actor.role !== 'admin' && creator.actor.role !== 'compliance' && !unit.path.startsWith(creator.actor.unitPath)) {
    throw new AppError('forbidden', 'You can only open cases in your own unit');
  }
  const routed = !input.ownerId;
  const ownerId = input.ownerId ?? (await lookups.route(organisationId, unit.id)).ownerId;
  const owner = await lookups.user(organisationId, ownerId);
  if (!owner) throw new AppError('unprocessable', 'That user does not exist', [{ path: 'ownerId', message: 'unknown user' }]);
  if (!owner.active) throw new AppError('unprocessable', 'That user is deactivated', [{ path: 'ownerId', message: 'inactive user' }]);
  const settings = lookups.settings(organisationId);
  if (input.category && !settings.categories.includes(input.category)) {
    throw new AppError('unprocessable', `Unknown category "${input.category}"`, [{ path: 'category', message: `one of: ${settings.categories.join(', ')}` }]);
  }
  const id = randomUUID();
  const kind = input.kind ?? 'complaint';
  const channel = input.channel ?? ('actor' in creator ? 'phone' : 'api');
  const policy = await lookups.policy(organisationId, input.policy ?? choosePolicy(settings.policyRules, { kind, product: input.product ?? null, channel, unitId: unit.id }));
  const clocks = lookups.clocks(policy, organisationId, unit, id, receivedAt);
  return {
    item, unit, routed, clocks, policyKey: policy.key,
    owner: { name: owner.name, role: owner.role },
    row: {
      id, organisationId,
      kind, subject: input.subject, description: input.description,
      customerName: input.customer.name, customerEmail: input.customer.email ?? null, customerPhone: input.customer.phone ?? null,
      customerRef: input.customer.ref ?? null, channel,
      product: input.product ?? null, category: input.category ?? null, unitId: unit.id, ownerId,
      status: 'open' as const, priority: input.priority ?? 'normal', vulnerable: input.vulnerable ?? false,
      vulnerabilityNote: input.vulnerabilityNote ?? null, receivedAt, createdAt: now, updatedAt: now,
      policyKey: policy.key, nextDueAt: clocks.nextDueAt, sortDueAt: sortDueAt(clocks.nextDueAt, receivedAt),
      retentionUntil: retentionUntil(receivedAt, input.product, settings),
      importId: item.importId ?? null,
    },
  };
}

function firstEvents(p: Planned, now: Date): NewEvent[] {
  const { creator } = p.item;
  const row = p.row;
  const organisationId = row.organisationId;
  const stream = caseStream(row.id);
  return [
    {
      organisationId, stream, type: 'case.created', actorId: creatorId(creator), at: now,
      data: {
        ref: row.ref, kind: row.kind, subject: row.subject, channel: row.channel, unitId: row.unitId, ownerId: row.ownerId,
        product: row.product, category: row.category, receivedAt: row.receivedAt.toISOString(), vulnerable: row.vulnerable,
        ...('system' in creator ? { source: creator.system.source } : {}),
      },
    },
    ...(p.routed ? [{ organisationId, stream, type: 'case.routed', actorId: null, at: now, data: { ownerId: row.ownerId, unitId: row.unitId, rule: p.unit.routing } }] : []),
    { organisationId, stream, type: 'clocks.started', actorId: null, at: now, data: { policy: p.policyKey, clocks: p.clocks.rows.map((r) => ({ name: r.name, dueAt: r.dueAt.toISOString() })) } },
  ];
}

/** One case inside the caller's transaction (imports, portal, e-mail, surveys); throws what it fails with. */
export async function insertCase(tx: Db, ctx: AppContext, creator: Creator, input: NewCaseInput, extra: { importId?: string } = {}): Promise<CaseRow> {
  const [created] = await insertCases(tx, ctx, [{ creator, input, importId: extra.importId }]);
  if (created instanceof AppError) throw created;
  return created.row;
}

/**
 * Group commit: requests that arrive while a transaction is being written wait and go together
 * in the next one, so many cases share one commit (and, on the embedded database, its single
 * connection). Each caller is answered only after its own transaction committed; if a batch
 * fails as a whole, each of its cases is retried on its own, so one bad case fails alone. One
 * batch is written at a time: the next one fills meanwhile, so batches grow with the load.
 */
class IntakeQueue {
  private waiting: { item: IntakeItem; resolve: (c: CreatedCase) => void; reject: (e: unknown) => void }[] = [];
  private writing = false;
  constructor(private ctx: AppContext) {}

  submit(item: IntakeItem): Promise<CreatedCase> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    if (this.writing || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, MAX_INTAKE_BATCH);
    this.writing = true;
    void this.write(batch).finally(() => { this.writing = false; this.pump(); });
  }

  private async write(batch: IntakeQueue['waiting']) {
    let results: (CreatedCase | AppError)[] | undefined;
    const items = batch.map((b) => b.item);
    try {
      // One read and one write statement need no transaction around them (two round trips fewer).
      results = writesInOneStatement(items)
        ? await insertCases(this.ctx.db, this.ctx, items)
        : await this.ctx.db.transaction((tx) => insertCases(tx, this.ctx, items));
    } catch (err) {
      if (batch.length === 1) { batch[0].reject(err); return; }
    }
    if (results) {
      batch.forEach((b, i) => { const r = results[i]; if (r instanceof AppError) b.reject(r); else b.resolve(r); });
      return;
    }
    await Promise.all(batch.map(async (b) => {
      try {
        const [r] = await this.ctx.db.transaction((tx) => insertCases(tx, this.ctx, [b.item]));
        if (r instanceof AppError) b.reject(r); else b.resolve(r);
      } catch (err) { b.reject(err); }
    }));
  }
}

const MAX_INTAKE_BATCH = 64;
const intakeQueues = new WeakMap<AppContext, IntakeQueue>();

export async function createCase(ctx: AppContext, actor: Actor, input: NewCaseInput) {
  let queue = intakeQueues.get(ctx);
  if (!queue) intakeQueues.set(ctx, queue = new IntakeQueue(ctx));
  const created = await queue.submit({ creator: { actor }, input });
  return toCaseDetail({ c: created.row, unitName: created.unit.name, unitPath: created.unit.path, ownerName: created.owner.name, ownerRole: created.owner.role }, undefined, created.clocks);
}


// ---------------------------------------------------------------------------------------------
// Reading

const owners = alias(users, 'owner');

export const caseSelection = {
  c: cases,
  unitName: units.name,
  unitPath: units.path,
  ownerName: owners.name,
  ownerRole: owners.role,
};

export function selectCases(db: Db) {
  return db.select(caseSelection).from(cases)
    .innerJoin(units, eq(units.id, cases.unitId))
    .innerJoin(owners, eq(owners.id, cases.ownerId));
}

type CaseJoinRow = { c: CaseRow; unitName: string; unitPath: string; ownerName: string; ownerRole: string };

export interface TransferView {
  id: string;
  caseId: string;
  state: string;
  fromUserId: string;
  fromUserName?: string;
  toUserId: string | null;
  toUnitId: string | null;
  reason: string;
  declineReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export function toCaseSummary(r: CaseJoinRow) {
  const c = r.c;
  return {
    id: c.id, ref: c.ref, kind: c.kind, subject: c.subject, status: c.status, priority: c.priority,
    ownerId: c.ownerId, owner: { id: c.ownerId, name: r.ownerName, role: r.ownerRole },
    unitId: c.unitId, unit: { id: c.unitId, name: r.unitName },
    customer: { name: c.customerName, email: c.customerEmail, phone: c.customerPhone, ref: c.customerRef },
    channel: c.channel, product: c.product, category: c.category, vulnerable: c.vulnerable,
    receivedAt: c.receivedAt.toISOString(), createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
    resolvedAt: c.resolvedAt?.toISOString() ?? null, closedAt: c.closedAt?.toISOString() ?? null,
    nextDueAt: c.nextDueAt?.toISOString() ?? null, breached: c.breached,
  };
}

async function pendingTransferFor(db: Db, organisationId: string, caseId: string) {
  const [t] = await db.select().from(caseTransfers)
    .where(inOrg(caseTransfers, organisationId, eq(caseTransfers.caseId, caseId), eq(caseTransfers.state, 'pending')));
  return t;
}

function isAddressedTo(actor: Actor, t: { toUserId: string | null; toUnitId: string | null } | undefined) {
  if (!t) return false;
  return t.toUserId === actor.userId || (t.toUnitId !== null && t.toUnitId === actor.unitId);
}

function toTransferView(t: typeof caseTransfers.$inferSelect): TransferView {
  return {
    id: t.id, caseId: t.caseId, state: t.state, fromUserId: t.fromUserId, toUserId: t.toUserId, toUnitId: t.toUnitId,
    reason: t.reason, declineReason: t.declineReason, createdAt: t.createdAt.toISOString(), decidedAt: t.decidedAt?.toISOString() ?? null,
  };
}

/** Loads a case the actor may read, with what access rules need, or NOT_FOUND. */
export async function loadCase(db: Db, actor: Actor, id: string, lock = false) {
  const query = selectCases(db).where(inOrg(cases, actor.organisationId, eq(cases.id, id)));
  const [row] = lock ? await query.for('update', { of: cases }) : await query;
  if (!row) throw notFound('Case');
  const pending = await pendingTransferFor(db, actor.organisationId, id);
  const facts: CaseAccessFacts = { ownerId: row.c.ownerId, unitPath: row.unitPath, pendingForActor: isAddressedTo(actor, pending) };
  if (!canReadCase(actor, facts)) throw notFound('Case');
  return { row, facts, pending };
}

export async function getCase(ctx: AppContext, actor: Actor, id: string) {
  const { row, pending } = await loadCase(ctx.db, actor, id);
  return toCaseDetail(row, pending, await listClockRows(ctx.db, actor.organisationId, id));
}

function toCaseDetail(row: CaseJoinRow, pending: typeof caseTransfers.$inferSelect | undefined, clocks: ClockRow[]) {
  const c = row.c;
  return {
    ...toCaseSummary(row),
    description: c.description,
    vulnerabilityNote: c.vulnerabilityNote,
    outcome: c.outcome, resolutionSummary: c.resolutionSummary,
    redress: c.redressAmount !== null ? { amount: c.redressAmount, kind: c.redressKind } : null,
    reopenCount: c.reopenCount,
    retentionUntil: c.retentionUntil, legalHold: c.legalHold,
    pendingTransfer: pending ? toTransferView(pending) : null,
    complaintSignals: c.kind === 'request' ? detectComplaint(`${c.subject}\n${c.description}`) : null,
    policy: c.policyKey,
    clocks: clocks.map(toClockView),
  };
}

// ---------------------------------------------------------------------------------------------
// Changes

async function touch(tx: Db, organisationId: string, id: string, set: Partial<CaseRow>, at: Date) {
  await tx.update(cases).set({ ...set, updatedAt: at }).where(inOrg(cases, organisationId, eq(cases.id, id)));
}

export interface CasePatch {
  subject?: string;
  description?: string;
  product?: string | null;
  category?: string | null;
  priority?: Priority;
  kind?: Kind;
  vulnerable?: boolean;
  vulnerabilityNote?: string | null;
  legalHold?: boolean;
  customer?: { name?: string; email?: string | null; phone?: string | null; ref?: string | null };
}

const customerColumns = { name: 'customerName', email: 'customerEmail', phone: 'customerPhone', ref: 'customerRef' } as const;

/** Field changes, each recorded with before and after. The owner is not a field: see transfers. */
export async function updateCase(ctx: AppContext, actor: Actor, id: string, patch: CasePatch) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id, true);
    requireWork(actor, facts);
    if (patch.legalHold !== undefined && actor.role !== 'admin' && actor.role !== 'compliance') {
      throw new AppError('forbidden', 'Only compliance or an admin can set or lift a legal hold');
    }
    if (patch.category) {
      const settings = await getSettings(tx, actor.organisationId);
      if (!settings.categories.includes(patch.category)) {
        throw new AppError('unprocessable', `Unknown category "${patch.category}"`, [{ path: 'category', message: `one of: ${settings.categories.join(', ')}` }]);
      }
    }
    const set: Record<string, unknown> = {};
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const fields = ['subject', 'description', 'product', 'category', 'priority', 'kind', 'vulnerable', 'vulnerabilityNote', 'legalHold'] as const;
    for (const key of fields) {
      const value = patch[key];
      if (value !== undefined && value !== row.c[key]) {
        set[key] = value;
        changes[key] = { before: row.c[key], after: value };
      }
    }
    for (const [key, column] of Object.entries(customerColumns) as [keyof typeof customerColumns, (typeof customerColumns)[keyof typeof customerColumns]][]) {
      const value = patch.customer?.[key];
      if (value !== undefined && value !== row.c[column]) {
        set[column] = value;
        changes[`customer.${key}`] = { before: row.c[column], after: value };
      }
    }
    if (Object.keys(changes).length === 0) return;
    await touch(tx, actor.organisationId, id, set as Partial<CaseRow>, now);
    await appendEvent(tx, { organisationId: actor.organisationId, stream: caseStream(id), type: 'case.updated', actorId: actor.userId, at: now, data: { changes } });
    if (changes.kind || changes.product) {
      // A request recognised as a complaint runs the complaint rules from the day it was received.
      const settings = await getSettings(tx, actor.organisationId);
      const policyKey = choosePolicy(settings.policyRules, { kind: patch.kind ?? row.c.kind, product: patch.product !== undefined ? patch.product : row.c.product, channel: row.c.channel, unitId: row.c.unitId });
      if (policyKey !== row.c.policyKey) {
        const policy = await requirePolicy(tx, actor.organisationId, policyKey);
        await restartClocks(tx, { organisationId: actor.organisationId, id, unitId: row.c.unitId, receivedAt: row.c.receivedAt }, policy, now);
      }
    }
  });
  return getCase(ctx, actor, id);
}

export async function addMessage(ctx: AppContext, actor: Actor, id: string, input: { body: string; visibleToCustomer: boolean }) {
  const now = ctx.clock.now();
  const messageId = randomUUID();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id);
    if (input.visibleToCustomer) requireWork(actor, facts);
    else if (!canNoteCase(actor, facts)) throw new AppError('forbidden', 'You can read this case but not add to it');
    if (row.c.status === 'closed') throw new AppError('conflict', 'The case is closed; reopen it first');
    await tx.insert(caseMessages).values({
      id: messageId, organisationId: actor.organisationId, caseId: id, authorType: 'staff', authorId: actor.userId,
      body: input.body, visibleToCustomer: input.visibleToCustomer, createdAt: now,
    });
    await touch(tx, actor.organisationId, id, {}, now);
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: caseStream(id), type: input.visibleToCustomer ? 'message.sent' : 'note.added',
      actorId: actor.userId, at: now, data: { messageId, length: input.body.length },
    });
    if (input.visibleToCustomer) await meetClocks(tx, actor.organisationId, id, 'first_response', now);
    if (input.visibleToCustomer && row.c.customerEmail) {
      const token = await issuePortalToken(tx, actor.organisationId, id, now);
      await enqueueMail(tx, {
        organisationId: actor.organisationId, to: row.c.customerEmail, caseId: id,
        subject: `Your ${row.c.kind === 'complaint' ? 'complaint' : 'request'} ${row.c.ref}: a message from ${row.ownerName.split(' ')[0]}`,
        body: `${input.body}\n\n— ${row.ownerName.split(' ')[0]}\nReference: ${row.c.ref}\n\nSee what happens next, and reply: ${ctx.config.publicUrl}${statusPath(token)}`,
      }, now);
    }
  });
  return listMessages(ctx, actor, id).then((all) => all.find((m) => m.id === messageId)!);
}

export async function listMessages(ctx: AppContext, actor: Actor, id: string) {
  await loadCase(ctx.db, actor, id);
  const rows = await ctx.db.select({ m: caseMessages, authorName: users.name }).from(caseMessages)
    .leftJoin(users, eq(users.id, caseMessages.authorId))
    .where(inOrg(caseMessages, actor.organisationId, eq(caseMessages.caseId, id)))
    .orderBy(caseMessages.createdAt);
  return rows.map(({ m, authorName }) => ({
    id: m.id, authorType: m.authorType, authorId: m.authorId, authorName: m.authorType === 'customer' ? null : authorName,
    body: m.body, visibleToCustomer: m.visibleToCustomer, createdAt: m.createdAt.toISOString(),
  }));
}

async function changeStatus(tx: Db, actor: Actor, row: CaseJoinRow, to: CaseStatus, at: Date, set: Partial<CaseRow> = {}, data: Record<string, unknown> = {}) {
  if (!canMove(row.c.status, to)) {
    throw new AppError('conflict', `A case that is ${row.c.status.replace('_', ' ')} cannot become ${to.replace('_', ' ')}`);
  }
  await touch(tx, actor.organisationId, row.c.id, { ...set, status: to }, at);
  await appendEvent(tx, {
    organisationId: actor.organisationId, stream: caseStream(row.c.id), type: 'case.status_changed', actorId: actor.userId, at,
    data: { from: row.c.status, to, ...data },
  });
}

export interface Resolution {
  outcome: Outcome;
  summary: string;
  redress?: { amount: number; kind: RedressKind } | null;
}

export async function resolveCase(ctx: AppContext, actor: Actor, id: string, input: Resolution) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id, true);
    requireWork(actor, facts);
    await requireFinalResponseIfDue(tx, actor.organisationId, row.c, now);
    await changeStatus(tx, actor, row, 'resolved', now, {
      outcome: input.outcome, resolutionSummary: input.summary, resolvedAt: now,
      redressAmount: input.redress?.amount ?? null, redressKind: input.redress?.kind ?? null,
    });
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: caseStream(id), type: 'case.resolved', actorId: actor.userId, at: now,
      data: { outcome: input.outcome, summary: input.summary, redress: input.redress ?? null },
    });
    await cancelPendingTransfer(tx, actor.organisationId, id, actor.userId, now, 'case resolved');
    await meetClocks(tx, actor.organisationId, id, 'resolution', now);
    if (row.c.kind !== 'follow_up') await inviteAfterResolution(tx, ctx, row.c);
  });
  return getCase(ctx, actor, id);
}

/**
 * DISP 1.5/1.6: after the close of the third business day a complaint closes only with a final
 * response (before it, a summary resolution communication is enough).
 */
async function requireFinalResponseIfDue(tx: Db, organisationId: string, c: CaseRow, now: Date) {
  if (c.policyKey !== 'fca-disp' || c.kind !== 'complaint') return;
  const [window] = await tx.select({ dueAt: caseClocks.dueAt }).from(caseClocks)
    .where(inOrg(caseClocks, organisationId, eq(caseClocks.caseId, c.id), eq(caseClocks.name, 'summary_resolution')));
  if (!window || now <= window.dueAt) return;
  if (await hasSentFinalLetter(tx, organisationId, c.id)) return;
  throw new AppError('unprocessable', 'After three business days an FCA complaint closes with a final response: send the final response letter first', [
    { path: 'letter', message: 'final_response letter not sent' },
  ]);
}

export async function reopenCase(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id, true);
    requireWork(actor, facts);
    if (isActive(row.c.status)) throw new AppError('conflict', 'The case is already open');
    await changeStatus(tx, actor, row, 'open', now, { reopenCount: row.c.reopenCount + 1, closedAt: null }, { reason });
    await appendEvent(tx, { organisationId: actor.organisationId, stream: caseStream(id), type: 'case.reopened', actorId: actor.userId, at: now, data: { reason } });
  });
  return getCase(ctx, actor, id);
}

export async function closeCase(ctx: AppContext, actor: Actor, id: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id, true);
    requireWork(actor, facts);
    await changeStatus(tx, actor, row, 'closed', now, { closedAt: now });
  });
  return getCase(ctx, actor, id);
}

/** Waiting on the customer, and back. The clocks issue pauses and resumes clocks on these events. */
export async function setWaiting(ctx: AppContext, actor: Actor, id: string, waiting: boolean, note?: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id, true);
    requireWork(actor, facts);
    const clocks = waiting
      ? { pausedClocks: await pauseClocks(tx, actor.organisationId, id, now) }
      : { resumedClocks: await resumeClocks(tx, actor.organisationId, { id, unitId: row.c.unitId }, now) };
    await changeStatus(tx, actor, row, waiting ? 'waiting_customer' : 'open', now, {}, { ...(note ? { note } : {}), ...clocks });
  });
  return getCase(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Transfers: a request the receiver accepts; until then the sender owns the case.

export async function requestTransfer(ctx: AppContext, actor: Actor, id: string, input: { toUserId?: string; toUnitId?: string; reason: string }) {
  if (!input.toUserId === !input.toUnitId) {
    throw new AppError('validation_failed', 'Name either a user (toUserId) or a unit (toUnitId)', [{ path: 'toUserId', message: 'exactly one of toUserId, toUnitId' }]);
  }
  const now = ctx.clock.now();
  const transferId = randomUUID();
  await ctx.db.transaction(async (tx) => {
    const { row, facts, pending } = await loadCase(tx, actor, id, true);
    requireWork(actor, facts);
    if (!isActive(row.c.status)) throw new AppError('conflict', 'Only an open case can be handed over');
    if (pending) throw new AppError('conflict', 'A transfer of this case is already waiting for an answer', { transferId: pending.id });
    if (input.toUserId) {
      const to = await requireActiveUser(tx, actor.organisationId, input.toUserId, 'toUserId');
      if (to.id === row.c.ownerId) throw new AppError('unprocessable', 'That person already owns the case', [{ path: 'toUserId', message: 'already the owner' }]);
    } else {
      await requireUnitOf(tx, actor.organisationId, input.toUnitId!);
    }
    try {
      await tx.insert(caseTransfers).values({
        id: transferId, organisationId: actor.organisationId, caseId: id, fromUserId: row.c.ownerId,
        toUserId: input.toUserId ?? null, toUnitId: input.toUnitId ?? null, reason: input.reason, state: 'pending', createdAt: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', 'A transfer of this case is already waiting for an answer');
      throw err;
    }
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: caseStream(id), type: 'transfer.requested', actorId: actor.userId, at: now,
      data: { transferId, fromUserId: row.c.ownerId, toUserId: input.toUserId ?? null, toUnitId: input.toUnitId ?? null, reason: input.reason },
    });
    const receivers = input.toUserId ? [input.toUserId] : (await tx.select({ id: users.id }).from(users)
      .where(inOrg(users, actor.organisationId, eq(users.unitId, input.toUnitId!), eq(users.active, true)))).map((u) => u.id).filter((u) => u !== actor.userId);
    await notify(tx, {
      organisationId: actor.organisationId, userIds: receivers, kind: 'transfer', caseId: id,
      title: `Will you take ${row.c.ref}?`, body: `${actor.name} asks you to take ${row.c.ref} "${row.c.subject}": ${input.reason}. Until someone accepts, ${row.ownerName} stays the owner.`,
    }, now, ctx.config.publicUrl);
  });
  return getTransfer(ctx, actor, transferId);
}


async function loadTransfer(db: Db, actor: Actor, transferId: string) {
  const [t] = await db.select().from(caseTransfers).where(inOrg(caseTransfers, actor.organisationId, eq(caseTransfers.id, transferId)));
  if (!t) throw notFound('Transfer');
  return t;
}

export async function getTransfer(ctx: AppContext, actor: Actor, transferId: string): Promise<TransferView> {
  const t = await loadTransfer(ctx.db, actor, transferId);
  if (!isAddressedTo(actor, t) && t.fromUserId !== actor.userId) await loadCase(ctx.db, actor, t.caseId);
  return toTransferView(t);
}

/** The receiver answers. The state change is a compare-and-set, so of two simultaneous answers exactly one wins. */
export async function decideTransfer(ctx: AppContext, actor: Actor, transferId: string, decision: { accept: true } | { accept: false; reason: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const t = await loadTransfer(tx, actor, transferId);
    if (!isAddressedTo(actor, t)) {
      // Not for you: say so only if you could see the case anyway.
      await loadCase(tx, actor, t.caseId);
      throw new AppError('forbidden', 'Only the person or unit the transfer is addressed to can answer it');
    }
    const [owner] = await tx.select({ ownerId: cases.ownerId }).from(cases).where(inOrg(cases, actor.organisationId, eq(cases.id, t.caseId)));
    if (decision.accept && owner?.ownerId === actor.userId) {
      throw new AppError('unprocessable', 'You already own this case; withdraw the transfer instead');
    }
    const [won] = await tx.update(caseTransfers)
      .set({ state: decision.accept ? 'accepted' : 'declined', decidedAt: now, decidedBy: actor.userId, declineReason: decision.accept ? null : decision.reason })
      .where(inOrg(caseTransfers, actor.organisationId, eq(caseTransfers.id, transferId), eq(caseTransfers.state, 'pending')))
      .returning();
    if (!won) throw new AppError('conflict', `The transfer was already ${t.state}`);
    const stream = caseStream(t.caseId);
    if (!decision.accept) {
      await appendEvent(tx, { organisationId: actor.organisationId, stream, type: 'transfer.declined', actorId: actor.userId, at: now, data: { transferId, reason: decision.reason } });
      return;
    }
    const [current] = await tx.select({ ownerId: cases.ownerId }).from(cases).where(inOrg(cases, actor.organisationId, eq(cases.id, t.caseId))).for('update');
    await touch(tx, actor.organisationId, t.caseId, { ownerId: actor.userId, unitId: actor.unitId }, now);
    await appendEvent(tx, { organisationId: actor.organisationId, stream, type: 'transfer.accepted', actorId: actor.userId, at: now, data: { transferId } });
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream, type: 'case.owner_changed', actorId: actor.userId, at: now,
      data: { from: current.ownerId, to: actor.userId, unitId: actor.unitId, reason: 'transfer accepted' },
    });
  });
  return toTransferView(await loadTransfer(ctx.db, actor, transferId));
}

/** The sender (or a lead above) withdraws a pending transfer. */
export async function cancelTransfer(ctx: AppContext, actor: Actor, transferId: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const t = await loadTransfer(tx, actor, transferId);
    const { facts } = await loadCase(tx, actor, t.caseId, true);
    requireWork(actor, facts);
    if (t.state !== 'pending') throw new AppError('conflict', `The transfer was already ${t.state}`);
    await cancelPendingTransfer(tx, actor.organisationId, t.caseId, actor.userId, now, 'withdrawn');
  });
  return toTransferView(await loadTransfer(ctx.db, actor, transferId));
}

async function cancelPendingTransfer(tx: Db, organisationId: string, caseId: string, actorId: string | null, at: Date, reason: string) {
  const cancelled = await tx.update(caseTransfers).set({ state: 'cancelled', decidedAt: at, decidedBy: actorId })
    .where(inOrg(caseTransfers, organisationId, eq(caseTransfers.caseId, caseId), eq(caseTransfers.state, 'pending')))
    .returning({ id: caseTransfers.id });
  for (const c of cancelled) {
    await appendEvent(tx, { organisationId, stream: caseStream(caseId), type: 'transfer.cancelled', actorId, at, data: { transferId: c.id, reason } });
  }
}

/** Transfers waiting for me: addressed to me, or to my unit. */
export async function listPendingTransfersFor(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db.select({ t: caseTransfers, ref: cases.ref, subject: cases.subject, fromName: users.name }).from(caseTransfers)
    .innerJoin(cases, eq(cases.id, caseTransfers.caseId))
    .innerJoin(users, eq(users.id, caseTransfers.fromUserId))
    .where(inOrg(caseTransfers, actor.organisationId, eq(caseTransfers.state, 'pending'),
      or(eq(caseTransfers.toUserId, actor.userId), eq(caseTransfers.toUnitId, actor.unitId))))
    .orderBy(caseTransfers.createdAt);
  return rows.map(({ t, ref, subject, fromName }) => ({ ...toTransferView(t), fromUserName: fromName, caseRef: ref, caseSubject: subject }));
}

/**
 * A deactivated user's open cases go to others by the routing rule of each case's unit, each
 * with a history event, in the same transaction as the deactivation: never orphaned.
 */
export async function reassignOpenCases(tx: Db, ctx: AppContext, organisationId: string, userId: string, actorId: string | null) {
  const now = ctx.clock.now();
  const open = await tx.select({ id: cases.id, unitId: cases.unitId }).from(cases)
    .where(inOrg(cases, organisationId, eq(cases.ownerId, userId), inArray(cases.status, ['open', 'waiting_customer'])))
    .for('update');
  for (const c of open) {
    const { ownerId } = await routeCase(tx, organisationId, c.unitId, [userId]);
    await touch(tx, organisationId, c.id, { ownerId }, now);
    await cancelPendingTransfer(tx, organisationId, c.id, actorId, now, 'owner deactivated');
    await appendEvent(tx, {
      organisationId, stream: caseStream(c.id), type: 'case.owner_changed', actorId, at: now,
      data: { from: userId, to: ownerId, reason: 'previous owner deactivated' },
    });
  }
  return open.length;
}

/** A lead above the case, or an admin, gives it to someone directly (e.g. the owner is away). */
export async function reassignCase(ctx: AppContext, actor: Actor, id: string, input: { toUserId: string; reason: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { row, facts } = await loadCase(tx, actor, id, true);
    if (actor.role !== 'admin' && !(actor.role === 'lead' && facts.unitPath.startsWith(actor.unitPath))) {
      throw new AppError('forbidden', 'Only a lead above the case or an admin can reassign it; others request a transfer');
    }
    const to = await requireActiveUser(tx, actor.organisationId, input.toUserId, 'toUserId');
    if (to.id === row.c.ownerId) throw new AppError('unprocessable', 'That person already owns the case', [{ path: 'toUserId', message: 'already the owner' }]);
    await touch(tx, actor.organisationId, id, { ownerId: to.id }, now);
    await cancelPendingTransfer(tx, actor.organisationId, id, actor.userId, now, 'case reassigned');
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: caseStream(id), type: 'case.owner_changed', actorId: actor.userId, at: now,
      data: { from: row.c.ownerId, to: to.id, reason: input.reason },
    });
  });
  return getCase(ctx, actor, id);
}
