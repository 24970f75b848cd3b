import { stringify } from 'csv-stringify/sync';
import type { Content } from 'pdfmake';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { renderPdf, type PdfDocument } from '../pdf/render-pdf.js';
import { listActions } from './action.service.js';
import { frameworkOfCycle } from './catalogue.service.js';
import { effectiveScore, isRed, toPercent } from './conduct-rules.js';
import { loadStatusCells, statusOf } from './status-score.service.js';

const fmt = (n: number | null) => (n === null ? '—' : n.toFixed(1));
const day = (iso: string) => iso.slice(0, 10);

async function boardReportData(ctx: AppContext, actor: Actor, cycleId: string) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  const status = await statusOf(ctx.db, actor, cycleId, undefined, ctx.clock.now());
  const framework = await frameworkOfCycle(ctx.db, actor.organisationId, cycleId);
  const actions = [];
  let cursor: string | undefined;
  do {
    const page = await listActions(ctx, actor, { cycleId, limit: 500, cursor });
    actions.push(...page.items.filter((a) => a.status !== 'verified'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { status, framework, actions };
}

/** A board-report PDF of the cycle: headline and cap, outcomes with scores, every red cell, open actions with owners and deadlines. */
export async function cycleReportPdf(ctx: AppContext, actor: Actor, cycleId: string): Promise<Buffer> {
  const { status, framework, actions } = await boardReportData(ctx, actor, cycleId);
  const header = (cells: string[]) => cells.map((text) => ({ text, bold: true, fillColor: '#eeeeee' }));
  const content: Content[] = [
    { text: `${framework.name}: ${status.cycleName}`, style: 'title' },
    { text: `Conduct status report for ${status.unit.name}, ${day(ctx.clock.now().toISOString())}`, margin: [0, 0, 0, 12] },
    { text: 'Status score', style: 'h2' },
    {
      table: { widths: ['*', 'auto'], body: [
        ['Company score (0–100)', `${fmt(status.score)}${status.capped ? ' (capped)' : ''}`],
        ['Average before the cap', fmt(status.uncappedScore)],
        [`Mean score on the ${framework.scale.min}–${framework.scale.max} scale`, fmt(status.scaleScore)],
        ['Cells scored', `${status.cells.scored} of ${status.cells.total}`],
        [`Cells below ${framework.threshold}`, `${status.cells.red} (${(status.shareBelowThreshold * 100).toFixed(1)}%)`],
        ['Weakest unit', status.weakestUnit ? `${status.weakestUnit.name} (${fmt(status.weakestUnit.score)})` : '—'],
      ] },
      layout: 'lightHorizontalLines',
    },
    ...(status.capped ? [{ text: `Capped: ${status.capReason}. A failing critical practice caps the score below the pass mark, whatever the average.`, color: '#a40000', margin: [0, 6, 0, 0] } as Content] : []),
    { text: 'Outcomes', style: 'h2' },
    {
      table: { headerRows: 1, widths: ['*', 'auto', 'auto'], body: [
        header(['Outcome', 'Score', 'Red cells']),
        ...status.outcomes.map((o) => [o.title, `${fmt(o.score)}${o.capped ? ' (capped)' : ''}`, String(o.redCells)]),
      ] },
      layout: 'lightHorizontalLines',
    },
    { text: `Red cells (below ${framework.threshold})`, style: 'h2' },
    status.redCells.length === 0 ? { text: 'None.' } : {
      table: { headerRows: 1, widths: ['*', '*', 'auto', 'auto', 'auto'], body: [
        header(['Unit', 'Practice', 'Critical', 'Self', 'Score']),
        ...status.redCells.map((r) => [r.unitPath, `${r.practiceCode} ${r.practiceTitle}`, r.critical ? 'yes' : '', r.selfScore === null ? '—' : String(r.selfScore), String(r.score)]),
      ] },
      layout: 'lightHorizontalLines',
    },
    { text: 'Improvement actions', style: 'h2' },
    actions.length === 0 ? { text: 'No open actions.' } : {
      table: { headerRows: 1, widths: ['*', 'auto', 'auto', 'auto', 'auto'], body: [
        header(['Action', 'Owner', 'Deadline', 'Priority', 'Status']),
        ...actions.map((a) => [`${a.title} (${a.unitName})`, a.delegateName, day(a.deadline), a.priority, a.overdue ? 'OVERDUE' : a.status]),
      ] },
      layout: 'lightHorizontalLines',
    },
    ...(status.gaps.count > 0 ? [
      { text: 'Self-assessment against review', style: 'h2' } as Content,
      { text: `${status.gaps.count} cells were scored differently by compliance; mean gap ${fmt(status.gaps.meanGap)} points (self minus reviewer).` } as Content,
    ] : []),
  ];
  const doc: PdfDocument = {
    info: { title: `${framework.name}: ${status.cycleName}` },
    pageSize: 'A4', pageMargins: [40, 40, 40, 40], content,
    styles: { title: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] }, h2: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] } },
    defaultStyle: { font: 'Roboto', fontSize: 10 },
  };
  return renderPdf(doc);
}

/** One row per cell, for spreadsheets: the outcome, the scores, the gap, red or not. */
export async function cycleCsv(ctx: AppContext, actor: Actor, cycleId: string): Promise<string> {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  const status = await statusOf(ctx.db, actor, cycleId, undefined, ctx.clock.now());
  const framework = await frameworkOfCycle(ctx.db, actor.organisationId, cycleId);
  const outcomeTitle = new Map(framework.outcomes.map((o) => [o.key, o.title]));
  const cells = (await loadStatusCells(ctx.db, actor.organisationId, cycleId)).filter((c) => actor.role !== 'lead' || c.unitPath.startsWith(actor.unitPath));
  const rows = cells.map((c) => {
    const score = effectiveScore(c);
    return [status.cycleName, outcomeTitle.get(c.outcomeKey) ?? c.outcomeKey, c.practiceCode, c.practiceTitle, c.critical ? 'yes' : 'no', c.unitName, c.unitKind, c.state,
      c.selfScore ?? '', c.reviewerScore ?? '', score ?? '', score === null ? '' : toPercent(score, framework.scale).toFixed(0),
      c.reviewerScore !== null && c.selfScore !== null ? c.selfScore - c.reviewerScore : '', isRed(score, framework.threshold) ? 'yes' : 'no'];
  });
  return stringify([['cycle', 'outcome', 'practice_code', 'practice', 'critical', 'unit', 'unit_kind', 'state', 'self_score', 'reviewer_score', 'score', 'score_0_100', 'gap', 'below_threshold'], ...rows]);
}
