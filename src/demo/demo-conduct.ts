import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { computeStatus, effectiveScore, type AssessmentState, type StatusCell } from '../conduct/conduct-rules.js';
import { defaultScale, defaultThreshold, presets } from '../conduct/presets.js';
import type { Db } from '../db/client.js';
import {
  conductActions, conductAssessments, conductCycles, conductEvidence, conductEvidenceLinks, conductFrameworks, conductPractices, conductReminders, conductSnapshots, units, users, type UnitKind,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvents, type NewEvent } from '../history/history.service.js';
import { createRandom } from './random.js';

const DAY = 86_400_000;

/**
 * The pocket the demo is built around, for the pages' end-to-end tests: the open cycle's company
 * score is capped by it, and it is the first red cell. The e2e lead (England & Wales Complaints)
 * has non-critical cells still to assess in the open cycle.
 */
export const demoConductWeakPocket = { region: 'Northern Ireland', practice: 'Complaint handling', practiceCode: 'CD-CS-1', openCycle: '2026 H1', framework: 'Consumer Duty' } as const;
export const demoConductAssessorTeam = 'England & Wales Complaints';
const clamp = (v: number) => Math.max(1, Math.min(5, Math.round(v)));

/**
 * Conduct demo: both presets, three Consumer Duty cycles (two completed, one in progress) with
 * realistic weak pockets — Northern Ireland fails complaint handling (critical) and gets worse,
 * Ireland is weak on financial difficulty support and recovers after its action — self-assessments
 * that compliance marked down, evidence notes and links, actions in every state (verified, done,
 * open, overdue and escalated), and daily snapshots for the trend.
 */
export async function seedDemoConduct(tx: Db, organisationId: string, now: Date): Promise<void> {
  const rand = createRandom(61);
  // Ordered, so the seeded random numbers fall on the same cells on every database and run.
  const orgUnits = await tx.select().from(units).where(inOrg(units, organisationId)).orderBy(units.depth, units.name);
  const staff = await tx.select().from(users).where(inOrg(users, organisationId)).orderBy(users.email);
  const compliance = staff.filter((u) => u.role === 'compliance');
  const reviewer = compliance.find((u) => u.email.startsWith('conduct@')) ?? compliance[0];
  if (!reviewer) return;
  const leadOf = (unitId: string) => {
    const unit = orgUnits.find((u) => u.id === unitId)!;
    const inside = staff.filter((s) => s.role === 'lead' && orgUnits.find((u) => u.id === s.unitId)?.path.startsWith(unit.path));
    return (inside.find((s) => s.unitId === unitId) ?? inside[0] ?? reviewer).id;
  };
  const events: NewEvent[] = [];

  const frameworkIds: Record<string, string> = {};
  const practiceRows: (typeof conductPractices.$inferInsert)[] = [];
  for (const preset of Object.values(presets)) {
    const id = randomUUID();
    frameworkIds[preset.key] = id;
    const created = new Date(now.getTime() - 400 * DAY);
    await tx.insert(conductFrameworks).values({
      id, organisationId, presetKey: preset.key, name: preset.name, description: preset.description, version: 1, outcomes: preset.outcomes,
      scale: defaultScale, threshold: defaultThreshold, createdAt: created, updatedAt: created,
    });
    events.push({ organisationId, stream: `conduct-framework:${id}`, type: 'framework.created', actorId: reviewer.id, at: created, data: { name: preset.name, preset: preset.key, source: 'demo' } });
    practiceRows.push(...preset.practices.map((p) => ({ id: randomUUID(), organisationId, frameworkId: id, ...p, active: true, version: 1, createdAt: created, updatedAt: created })));
  }
  await tx.insert(conductPractices).values(practiceRows);
  const practices = practiceRows.filter((p) => p.frameworkId === frameworkIds['consumer-duty']);
  const unitName = (id: string) => orgUnits.find((u) => u.id === id)!.name;
  const inRegion = (unitId: string, region: string) => {
    const unit = orgUnits.find((u) => u.id === unitId)!;
    const r = orgUnits.find((u) => u.kind === 'region' && u.name === region);
    return !!r && unit.path.startsWith(r.path);
  };

  /** The "true" score of a cell in a cycle (0, 1, 2): the pockets the demo shows. */
  const scoreOf = (code: string, unitId: string, cycle: number) => {
    if (code === demoConductWeakPocket.practiceCode && inRegion(unitId, demoConductWeakPocket.region)) return [2, 1, 1][cycle];
    if (code === 'CD-CS-4' && inRegion(unitId, 'Ireland')) return [2, 3, 4][cycle];
    if (code === 'CD-CU-1' && inRegion(unitId, 'Midlands & North')) return [3, 2, 3][cycle];
    return clamp(rand.normal(4.1, 0.7));
  };

  const cycles = [
    { name: '2025 H1', opens: -380, due: -320, closed: -310 },
    { name: '2025 H2', opens: -200, due: -140, closed: -130 },
    { name: '2026 H1', opens: -20, due: 40, closed: null },
  ];
  let previousId: string | null = null;
  let previousCells: (typeof conductAssessments.$inferInsert)[] = [];
  const evidenceRows: (typeof conductEvidence.$inferInsert)[] = [];
  const linkRows: (typeof conductEvidenceLinks.$inferInsert)[] = [];
  const actionRows: (typeof conductActions.$inferInsert)[] = [];
  const reminderRows: (typeof conductReminders.$inferInsert)[] = [];
  for (const [index, c] of cycles.entries()) {
    const cycleId = randomUUID();
    const opensAt = new Date(now.getTime() + c.opens * DAY);
    await tx.insert(conductCycles).values({
      id: cycleId, organisationId, frameworkId: frameworkIds['consumer-duty'], frameworkVersion: 1, name: c.name, opensAt, dueAt: new Date(now.getTime() + c.due * DAY),
      status: c.closed === null ? 'open' : 'closed', previousCycleId: previousId, createdBy: reviewer.id, createdAt: opensAt,
      closedAt: c.closed === null ? null : new Date(now.getTime() + c.closed * DAY),
    });
    events.push({ organisationId, stream: `conduct-cycle:${cycleId}`, type: 'cycle.opened', actorId: reviewer.id, at: opensAt, data: { name: c.name, source: 'demo' } });
    const cells: (typeof conductAssessments.$inferInsert)[] = [];
    for (const p of practices) {
      for (const u of orgUnits.filter((x) => (p.unitKinds as UnitKind[]).includes(x.kind))) {
        const truth = scoreOf(p.code, u.id, index);
        // Units tend to rate themselves a point better where they are weak; compliance marks them down.
        const self = truth <= 2 && rand.next() < 0.7 ? truth + 2 : truth;
        // Never in the future: the open cycle's reviews happened in the last days.
        const reviewedAt = new Date(Math.min(opensAt.getTime() + rand.int(20, 55) * DAY, now.getTime() - rand.int(1, 12) * DAY));
        let state: AssessmentState = 'approved';
        if (c.closed === null) {
          state = truth <= 2 ? 'approved' : rand.weighted<AssessmentState>([['approved', 40], ['submitted', 25], ['returned', 8], ['draft', 17], ['not_started', 10]]);
          // The assessor team's non-critical cells wait for its lead: half drafts carried from last time, half not started.
          if (u.name === demoConductAssessorTeam && !p.critical) state = rand.next() < 0.5 ? 'draft' : 'not_started';
        }
        const before = previousCells.find((x) => x.practiceId === p.id && x.unitId === u.id);
        const scored = state !== 'not_started' && state !== 'draft';
        const reviewed = state === 'approved' || state === 'returned';
        cells.push({
          id: randomUUID(), organisationId, cycleId, practiceId: p.id!, unitId: u.id, state,
          selfScore: state === 'not_started' ? null : self, rationale: state === 'not_started' ? null : rationaleFor(p.title!, self),
          reviewerScore: state === 'approved' && self !== truth ? truth : null,
          reviewComment: state === 'returned' ? 'Please attach this quarter\'s MI; the pack cited is from last year.' : state === 'approved' && self !== truth ? 'Evidence does not support the self-assessment: complaint MI shows late final responses and repeat root causes.' : null,
          carriedFromId: before?.id ?? null, submittedBy: scored || state === 'returned' ? leadOf(u.id) : null,
          submittedAt: scored ? new Date(reviewedAt.getTime() - 5 * DAY) : null,
          reviewedBy: reviewed ? reviewer.id : null, reviewedAt: reviewed ? reviewedAt : null,
          createdAt: opensAt, updatedAt: reviewed ? reviewedAt : opensAt,
        });
      }
    }
    for (let i = 0; i < cells.length; i += 500) await tx.insert(conductAssessments).values(cells.slice(i, i + 500));

    // Evidence for a share of the cells, and actions for every red approved cell.
    for (const cell of cells) {
      const p = practices.find((x) => x.id === cell.practiceId)!;
      if (cell.state !== 'not_started' && rand.next() < 0.3) {
        const eid = randomUUID();
        const kind = rand.next() < 0.5 ? 'note' as const : 'link' as const;
        const expiresAt = rand.next() < 0.4 ? new Date(opensAt.getTime() + rand.int(120, 420) * DAY) : null;
        evidenceRows.push({
          id: eid, organisationId, kind, title: `${(p.exampleEvidence as string[])[0]} — ${unitName(cell.unitId!)} ${c.name}`, unitId: cell.unitId!, ownerId: leadOf(cell.unitId!),
          status: expiresAt && expiresAt.getTime() < now.getTime() ? 'expired' : cell.state === 'approved' ? 'approved' : 'draft', expiresAt,
          url: kind === 'link' ? `https://intranet.harbourvale.example/conduct/${p.code!.toLowerCase()}/${c.name.replace(' ', '-').toLowerCase()}` : null,
          note: kind === 'note' ? `${p.title}: reviewed ${c.name}. ${(cell.selfScore ?? 0) >= 4 ? 'Sample of 25 cases passed the checklist; exceptions fixed within the month.' : 'Sample of 25 cases: 9 failed the checklist; remediation plan agreed with compliance.'}` : null,
          createdAt: opensAt, updatedAt: opensAt,
        });
        linkRows.push({ id: randomUUID(), organisationId, evidenceId: eid, assessmentId: cell.id!, createdAt: opensAt });
      }
      const score = effectiveScore({ state: cell.state as AssessmentState, selfScore: cell.selfScore ?? null, reviewerScore: cell.reviewerScore ?? null });
      if (cell.state !== 'approved' || score === null || score >= defaultThreshold) continue;
      const actionId = randomUUID();
      const created = cell.reviewedAt!;
      const deadline = new Date(created.getTime() + (index === 2 ? 45 : 30) * DAY);
      // First cycle: verified. Second: done, or still open and long overdue (escalated) — always so for
      // the weak pocket, which gets worse. Current: open, not yet due.
      const weakPocket = p.code === demoConductWeakPocket.practiceCode && inRegion(cell.unitId!, demoConductWeakPocket.region);
      const status = index === 0 ? 'verified' as const : index === 1 ? (weakPocket || rand.next() < 0.5 ? 'open' as const : 'done' as const) : 'open' as const;
      const delegateId = leadOf(cell.unitId!);
      const overdue = status === 'open' && deadline.getTime() < now.getTime();
      actionRows.push({
        id: actionId, organisationId, title: `Improve "${p.title}" in ${unitName(cell.unitId!)}`, description: `Scored ${score} (below ${defaultThreshold}) in ${c.name}.`,
        practiceId: p.id!, unitId: cell.unitId!, delegateId, createdBy: reviewer.id, deadline, priority: p.critical ? 'critical' : 'high',
        expectedEffect: `A score of at least ${defaultThreshold} on re-assessment, with evidence of the change`, status, required: true, sourceKind: 'assessment',
        source: { assessmentId: cell.id, cycleId }, assessmentId: cell.id!,
        doneAt: status === 'open' ? null : new Date(deadline.getTime() - 3 * DAY), doneNote: status === 'open' ? null : 'New triage rota and weekly checks of final responses in place.',
        verifiedAt: status === 'verified' ? new Date(deadline.getTime() + 2 * DAY) : null, verifiedBy: status === 'verified' ? reviewer.id : null,
        verifyScore: status === 'verified' ? 3 : null,
        escalatedAt: overdue && now.getTime() - deadline.getTime() > 3 * DAY ? new Date(deadline.getTime() + 3 * DAY) : null,
        escalatedToId: overdue && now.getTime() - deadline.getTime() > 3 * DAY ? reviewer.id : null,
        nextReminderAt: status === 'open' ? new Date(now.getTime() + DAY) : null,
        createdAt: created, updatedAt: created,
      });
      if (overdue) reminderRows.push(...['d-7', 'd-1', 'd0'].map((key) => ({ id: randomUUID(), organisationId, subjectId: actionId, key, sentAt: now })));
      if (status !== 'open') {
        const eid = randomUUID();
        evidenceRows.push({
          id: eid, organisationId, kind: 'note', title: `Action evidence: ${p.title} (${unitName(cell.unitId!)})`, unitId: cell.unitId!, ownerId: delegateId, status: 'approved',
          note: 'Before: 31% of final responses late. After eight weeks of daily triage: 6%. Checked on a sample of 40 cases.', createdAt: deadline, updatedAt: deadline,
        });
        linkRows.push({ id: randomUUID(), organisationId, evidenceId: eid, actionId, createdAt: deadline });
      }
    }
    // One manual action from an escalation lesson in the current cycle, not yet due.
    if (index === 2) {
      const p = practices.find((x) => x.code === 'CD-PS-2')!;
      const team = orgUnits.find((u) => u.kind === 'team' && u.name.includes('Customer Care'))!;
      actionRows.push({
        id: randomUUID(), organisationId, title: 'Flag vulnerability at first contact in the call script', description: 'From an escalation: a bereaved customer was asked three times for the same documents.',
        practiceId: p.id!, unitId: team.id, delegateId: leadOf(team.id), createdBy: reviewer.id, deadline: new Date(now.getTime() + 21 * DAY), priority: 'high',
        expectedEffect: 'Vulnerability recorded at first contact in 95% of calls sampled', status: 'open', required: false, sourceKind: 'manual', source: {},
        nextReminderAt: new Date(now.getTime() + 14 * DAY), createdAt: new Date(now.getTime() - 5 * DAY), updatedAt: new Date(now.getTime() - 5 * DAY),
      });
    }
    previousId = cycleId;
    previousCells = cells;
  }
  if (evidenceRows.length > 0) await tx.insert(conductEvidence).values(evidenceRows);
  if (linkRows.length > 0) await tx.insert(conductEvidenceLinks).values(linkRows);
  await tx.insert(conductActions).values(actionRows);
  if (reminderRows.length > 0) await tx.insert(conductReminders).values(reminderRows);
  for (const a of actionRows) events.push({ organisationId, stream: `conduct-action:${a.id}`, type: 'action.created', actorId: reviewer.id, at: a.createdAt!, data: { title: a.title, source: 'demo' } });

  // Daily snapshots of the cycle in progress: the score as reviews came in.
  const current = previousCells;
  const root = orgUnits.find((u) => u.parentId === null)!;
  const statusUnits = orgUnits.map((u) => ({ id: u.id, name: u.name, kind: u.kind, path: u.path, parentId: u.parentId }));
  const snapshots: (typeof conductSnapshots.$inferInsert)[] = [];
  for (let d = 19; d >= 0; d--) {
    const day = new Date(now.getTime() - d * DAY);
    const asOf: StatusCell[] = current.map((cell) => {
      const p = practices.find((x) => x.id === cell.practiceId)!;
      const u = orgUnits.find((x) => x.id === cell.unitId)!;
      const known = cell.reviewedAt ? cell.reviewedAt.getTime() <= day.getTime() : cell.state === 'submitted' && d < 10;
      return {
        assessmentId: cell.id!, unitId: u.id, unitName: u.name, unitKind: u.kind, unitPath: u.path, practiceId: p.id!, practiceTitle: p.title!, practiceCode: p.code!,
        critical: p.critical!, outcomeKey: p.outcomeKey!, state: known ? cell.state as AssessmentState : 'draft', selfScore: cell.selfScore ?? null, reviewerScore: cell.reviewerScore ?? null,
      };
    });
    const s = computeStatus(asOf, root, statusUnits, { scale: defaultScale, threshold: defaultThreshold }, []);
    snapshots.push({ id: randomUUID(), organisationId, cycleId: previousId!, day: day.toISOString().slice(0, 10), score: s.score, capped: s.capped, shareBelowThreshold: s.shareBelowThreshold, redCells: s.cells.red, createdAt: day });
  }
  await tx.insert(conductSnapshots).values(snapshots);
  await appendEvents(tx, events);
}

function rationaleFor(title: string, score: number): string {
  if (score >= 5) return `${title} is embedded: monthly MI, independent QA sample passed, outcomes improving for two quarters.`;
  if (score === 4) return `${title} is applied consistently and evidenced in the monthly MI; a few exceptions, each with an owner.`;
  if (score === 3) return `${title} works in most cases; known gaps in out-of-hours cover are being fixed.`;
  return `${title} is not reliable: the QA sample found repeated failures and no owner for the fixes yet.`;
}

export async function hasDemoConduct(db: Db, organisationId: string): Promise<boolean> {
  return (await db.select({ id: conductFrameworks.id }).from(conductFrameworks).where(inOrg(conductFrameworks, organisationId, eq(conductFrameworks.organisationId, organisationId))).limit(1)).length > 0;
}
