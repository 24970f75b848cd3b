import { z } from 'zod';
import { actionPriorities, actionStatuses, assessmentStates, cycleStatuses, evidenceStatuses, unitKinds } from '../db/schema/index.js';
import { conductSettingsSchema } from './conduct-settings.js';

/** Request and response shapes of the conduct API (CONDUCT_API.md describes them in prose). */
const text = (max: number) => z.string().trim().min(1).max(max);
const when = z.string().datetime({ offset: true });
const nullableIso = z.string().nullable();

export const outcomeSchema = z.object({ key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes'), title: text(200), description: z.string().max(2000).optional() }).strict();
export const scaleSchema = z.object({
  min: z.number().int().min(0).max(10), max: z.number().int().min(1).max(100),
  levels: z.array(z.object({ score: z.number().int(), label: text(60), description: z.string().max(1000) }).strict()).min(2).max(101),
}).strict();

export const frameworkView = z.object({
  id: z.string(), name: z.string(), description: z.string(), presetKey: z.string().nullable(), version: z.number(),
  outcomes: z.array(z.object({ key: z.string(), title: z.string(), description: z.string().optional() })),
  scale: z.object({ min: z.number(), max: z.number(), levels: z.array(z.object({ score: z.number(), label: z.string(), description: z.string() })) }),
  threshold: z.number(), practiceCount: z.number(), createdAt: z.string(), updatedAt: z.string(),
});

export const practiceView = z.object({
  id: z.string(), frameworkId: z.string(), outcomeKey: z.string(), outcomeTitle: z.string(), code: z.string(), title: z.string(), description: z.string(),
  guidance: z.string(), exampleEvidence: z.array(z.string()), unitKinds: z.array(z.enum(unitKinds)), critical: z.boolean(), version: z.number(), active: z.boolean(),
  notApplicable: z.array(z.object({ unitId: z.string(), unitName: z.string(), justification: z.string(), by: z.string(), at: z.string() })),
  createdAt: z.string(), updatedAt: z.string(),
});

export const createFrameworkBody = z.union([
  z.object({ preset: z.enum(['tcf', 'consumer-duty']) }).strict(),
  z.object({ name: text(200), description: z.string().max(5000).optional(), outcomes: z.array(outcomeSchema).min(1).max(30), scale: scaleSchema.optional(), threshold: z.number().int().optional() }).strict(),
]);
export const updateFrameworkBody = z.object({ name: text(200).optional(), description: z.string().max(5000).optional(), outcomes: z.array(outcomeSchema).min(1).max(30).optional(), scale: scaleSchema.optional(), threshold: z.number().int().optional() }).strict();

const practiceFields = {
  outcomeKey: z.string().min(1).max(40), title: text(200), description: z.string().max(5000).optional(), guidance: text(5000),
  exampleEvidence: z.array(text(300)).max(20).optional(), unitKinds: z.array(z.enum(unitKinds)).min(1).max(4), critical: z.boolean().optional(),
};
export const createPracticeBody = z.object({ frameworkId: z.string().uuid(), code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9.\-_]{0,39}$/).optional(), ...practiceFields }).strict();
export const updatePracticeBody = z.object({
  outcomeKey: practiceFields.outcomeKey.optional(), title: practiceFields.title.optional(), description: practiceFields.description, guidance: practiceFields.guidance.optional(),
  exampleEvidence: practiceFields.exampleEvidence, unitKinds: practiceFields.unitKinds.optional(), critical: z.boolean().optional(), active: z.boolean().optional(),
}).strict();
export const practiceListQuery = z.object({ frameworkId: z.string().uuid().optional(), outcomeKey: z.string().max(40).optional(), critical: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), unitKind: z.enum(unitKinds).optional() });
export const notApplicableBody = z.object({ unitId: z.string().uuid(), justification: text(2000) }).strict();
export const applicableBody = z.object({ unitId: z.string().uuid() }).strict();

export const cycleView = z.object({
  id: z.string(), frameworkId: z.string(), frameworkName: z.string(), frameworkVersion: z.number(), name: z.string(), opensAt: z.string(), dueAt: z.string(),
  status: z.enum(cycleStatuses), previousCycleId: z.string().nullable(),
  counts: z.object({ total: z.number() }).catchall(z.number()), createdAt: z.string(), closedAt: nullableIso,
});
export const createCycleBody = z.object({
  frameworkId: z.string().uuid(), name: text(200), opensAt: when, dueAt: when, unitIds: z.array(z.string().uuid()).min(1).max(5000).optional(), carryForward: z.boolean().optional(),
}).strict();
export const updateCycleBody = z.object({ name: text(200).optional(), dueAt: when.optional() }).strict();
export const cycleListQuery = z.object({ frameworkId: z.string().uuid().optional(), status: z.enum(cycleStatuses).optional() });

const redCell = z.object({
  assessmentId: z.string(), unitId: z.string(), unitName: z.string(), unitPath: z.string(), practiceId: z.string(), practiceTitle: z.string(), practiceCode: z.string(),
  critical: z.boolean(), outcomeKey: z.string(), score: z.number(), selfScore: z.number().nullable(), reviewerScore: z.number().nullable(), state: z.enum(assessmentStates),
});
const weakestUnit = z.object({ id: z.string(), name: z.string(), kind: z.string(), score: z.number(), redCells: z.number() }).nullable();
const overdueOwner = z.object({ ownerId: z.string(), ownerName: z.string(), count: z.number(), oldestDeadline: z.string() });
export const statusView = z.object({
  cycleId: z.string(), cycleName: z.string(), cycleStatus: z.enum(cycleStatuses), frameworkId: z.string(), frameworkName: z.string(),
  unit: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  score: z.number().nullable(), uncappedScore: z.number().nullable(), capped: z.boolean(), capReason: z.string().nullable(), band: z.enum(['green', 'amber', 'red']).nullable(),
  scaleScore: z.number().nullable(), threshold: z.number(), scored: z.number(), red: z.number(),
  cells: z.object({ total: z.number(), scored: z.number(), red: z.number(), unassessed: z.number(), notApplicable: z.number(), provisional: z.number() }),
  shareBelowThreshold: z.number(), weakestUnit, distribution: z.array(z.object({ score: z.number(), cells: z.number() })), redCells: z.array(redCell),
  children: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), score: z.number().nullable(), capped: z.boolean(), redCells: z.number(), cells: z.number() })),
  outcomes: z.array(z.object({ key: z.string(), title: z.string(), score: z.number().nullable(), capped: z.boolean(), redCells: z.number() })),
  gaps: z.object({ count: z.number(), meanGap: z.number(), largest: z.array(z.object({ assessmentId: z.string(), unitName: z.string(), practiceTitle: z.string(), selfScore: z.number(), reviewerScore: z.number(), gap: z.number() })) }),
  overdueActions: z.array(overdueOwner),
});
export const summaryView = z.object({
  cycleId: z.string(), cycleName: z.string(), score: z.number().nullable(), capped: z.boolean(), capReason: z.string().nullable(), weakestUnit,
  shareBelowThreshold: z.number(), redCells: z.array(redCell), overdueActions: z.array(overdueOwner),
}).nullable();
export const heatmapView = z.object({
  by: z.enum(['practice', 'outcome']), threshold: z.number(), scale: frameworkView.shape.scale,
  columns: z.array(z.object({ id: z.string(), label: z.string(), code: z.string(), critical: z.boolean(), outcomeKey: z.string() })),
  rows: z.array(z.object({
    unitId: z.string(), unitName: z.string(), unitKind: z.string(),
    cells: z.array(z.object({ columnId: z.string(), score: z.number().nullable(), min: z.number().nullable(), red: z.boolean(), cells: z.number(), state: z.enum(assessmentStates).nullable(), assessmentId: z.string().nullable() })),
  })),
});
export const signalsView = z.object({
  items: z.array(z.object({
    assessmentId: z.string(), unitId: z.string(), unitName: z.string(), practiceId: z.string(), practiceTitle: z.string(), practiceCode: z.string(),
    selfScore: z.number().nullable(), score: z.number().nullable(), categories: z.array(z.string()), complaints: z.number(), upheld: z.number(), upheldRate: z.number().nullable(),
    careScore: z.number().nullable(), careResponses: z.number(), flag: z.literal('strong_self_assessment_high_complaints').nullable(),
  })),
  window: z.object({ from: z.string(), to: z.string() }), mapping: z.record(z.string(), z.array(z.string())),
  flagRule: z.object({ minComplaints: z.number(), upheldRate: z.number(), strongScore: z.number() }),
});
export const trendView = z.object({
  points: z.array(z.object({ day: z.string(), score: z.number().nullable(), capped: z.boolean(), shareBelowThreshold: z.number(), redCells: z.number() })),
  cycles: z.array(z.object({ cycleId: z.string(), name: z.string(), score: z.number().nullable(), capped: z.boolean(), shareBelowThreshold: z.number(), redCells: z.number(), opensAt: z.string(), closedAt: nullableIso })),
});

export const evidenceView = z.object({
  id: z.string(), kind: z.enum(['file', 'link', 'note']), title: z.string(), unitId: z.string(), unitName: z.string(), ownerId: z.string(), ownerName: z.string(),
  status: z.enum(evidenceStatuses), expiresAt: nullableIso, url: z.string().nullable(), note: z.string().nullable(),
  file: z.object({ filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string(), downloadUrl: z.string() }).nullable(),
  assessmentIds: z.array(z.string()), actionIds: z.array(z.string()), createdAt: z.string(), updatedAt: z.string(),
});
export const createEvidenceBody = z.object({
  kind: z.enum(['link', 'note']), title: text(300), unitId: z.string().uuid(), url: z.string().trim().url().max(2000).refine((u) => /^https?:\/\//i.test(u), 'an http(s) address').optional(),
  note: text(20000).optional(), expiresAt: when.nullish(), assessmentIds: z.array(z.string().uuid()).max(200).optional(),
}).strict();
export const updateEvidenceBody = z.object({
  title: text(300).optional(), note: text(20000).optional(), url: z.string().trim().url().max(2000).refine((u) => /^https?:\/\//i.test(u), 'an http(s) address').optional(),
  expiresAt: when.nullish(), status: z.enum(['approved', 'draft']).optional(),
}).strict();
export const evidenceListQuery = z.object({
  unitId: z.string().uuid().optional(), status: z.enum(evidenceStatuses).optional(), assessmentId: z.string().uuid().optional(), actionId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(512).optional(),
});

export const assessmentView = z.object({
  id: z.string(), cycleId: z.string(), cycleName: z.string(), practiceId: z.string(), practiceTitle: z.string(), practiceCode: z.string(), critical: z.boolean(), outcomeKey: z.string(),
  unitId: z.string(), unitName: z.string(), unitKind: z.enum(unitKinds), state: z.enum(assessmentStates), selfScore: z.number().nullable(), rationale: z.string().nullable(),
  reviewerScore: z.number().nullable(), reviewComment: z.string().nullable(), score: z.number().nullable(), red: z.boolean(), gap: z.number().nullable(), threshold: z.number(), locked: z.boolean(),
  notApplicableReason: z.string().nullable(), requiredActionId: z.string().nullable(), submittedAt: nullableIso, submittedBy: z.string().nullable(),
  reviewedAt: nullableIso, reviewedBy: z.string().nullable(), updatedAt: z.string(),
});
export const assessmentDetail = assessmentView.extend({
  scale: frameworkView.shape.scale, threshold: z.number(), guidance: z.string(), exampleEvidence: z.array(z.string()), evidence: z.array(evidenceView),
  previous: z.object({ assessmentId: z.string(), cycleName: z.string(), score: z.number().nullable(), selfScore: z.number().nullable(), reviewerScore: z.number().nullable(), rationale: z.string().nullable(), state: z.enum(assessmentStates) }).nullable(),
});
export const assessmentListQuery = z.object({
  cycleId: z.string().uuid().optional(), unitId: z.string().uuid().optional(), practiceId: z.string().uuid().optional(), state: z.enum(assessmentStates).optional(),
  red: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(512).optional(),
});
export const addAssessmentBody = z.object({ cycleId: z.string().uuid(), practiceId: z.string().uuid(), unitId: z.string().uuid() }).strict();
const score = z.number().int().min(0).max(100);
export const draftBody = z.object({ selfScore: score.nullable().optional(), rationale: z.string().max(10000).nullable().optional() }).strict();
export const submitBody = z.object({ selfScore: score, rationale: text(10000) }).strict();
export const reviewBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), comment: z.string().trim().max(5000).optional() }).strict(),
  z.object({ decision: z.literal('return'), comment: text(5000) }).strict(),
  z.object({ decision: z.literal('override'), reviewerScore: score, comment: text(5000) }).strict(),
]);
export const justificationBody = z.object({ justification: text(2000) }).strict();
export const commentBody = z.object({ comment: text(5000) }).strict();
export const evidenceIdsBody = z.object({ evidenceIds: z.array(z.string().uuid()).max(200) }).strict();

export const actionView = z.object({
  id: z.string(), title: z.string(), description: z.string(), practiceId: z.string(), practiceTitle: z.string(), practiceCode: z.string(), unitId: z.string(), unitName: z.string(),
  delegateId: z.string(), delegateName: z.string(), createdBy: z.string().nullable(), deadline: z.string(), priority: z.enum(actionPriorities), expectedEffect: z.string(),
  status: z.enum(actionStatuses), required: z.boolean(), source: z.record(z.string(), z.unknown()), overdue: z.boolean(), escalatedAt: nullableIso, escalatedToId: z.string().nullable(),
  doneAt: nullableIso, doneNote: z.string().nullable(), verifiedAt: nullableIso, verifiedBy: z.string().nullable(), verifyScore: z.number().nullable(),
  evidenceIds: z.array(z.string()), createdAt: z.string(), updatedAt: z.string(),
});
export const createActionBody = z.object({
  title: text(300), description: z.string().max(10000).optional(), practiceId: z.string().uuid().optional(), unitId: z.string().uuid().optional(), delegateId: z.string().uuid(),
  deadline: when, priority: z.enum(actionPriorities).default('medium'), expectedEffect: text(2000), lessonId: z.string().uuid().optional(),
  /** An action opened from an alert (e.g. an emerging complaint issue of the reports): recorded as its source. */
  alert: z.object({ key: z.string().trim().min(1).max(300), detail: text(2000) }).strict().optional(),
}).strict();
export const updateActionBody = z.object({
  title: text(300).optional(), description: z.string().max(10000).optional(), delegateId: z.string().uuid().optional(), deadline: when.optional(),
  priority: z.enum(actionPriorities).optional(), expectedEffect: text(2000).optional(),
}).strict();
export const doneBody = z.object({ note: text(5000), evidenceIds: z.array(z.string().uuid()).max(50) }).strict();
export const verifyBody = z.object({ comment: z.string().trim().max(5000).optional(), rescore: score.optional() }).strict();
export const actionListQuery = z.object({
  status: z.enum(actionStatuses).optional(), mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  unitId: z.string().uuid().optional(), practiceId: z.string().uuid().optional(), cycleId: z.string().uuid().optional(), delegateId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(512).optional(),
});

export const eventsView = z.object({ items: z.array(z.object({ id: z.number(), seq: z.number(), at: z.string(), actorId: z.string().nullable(), actorName: z.string().nullable(), type: z.string(), data: z.unknown() })) });
export const settingsBody = conductSettingsSchema.partial().strict();
export const settingsView = conductSettingsSchema;
