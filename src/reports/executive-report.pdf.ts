import type { Content } from 'pdfmake';
import { renderPdf, type PdfDocument } from '../pdf/render-pdf.js';
import type { ExecutiveReport, Indicator } from './executive-report.service.js';

/** One formatting of figures for the page, the PDF and the e-mail, so they read the same. */
export function formatFigure(value: number | null | undefined, format: Indicator['format']): string {
  if (value === null || value === undefined) return '—';
  switch (format) {
    case 'percent': return `${(value * 100).toFixed(1)}%`;
    case 'days': return `${value} d`;
    case 'score': return value.toFixed(1);
    case 'nps': return value.toFixed(0);
    case 'hours': return `${value.toFixed(1)} h`;
    default: return value.toLocaleString('en-GB');
  }
}

const money = (n: number) => `£${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function trend(i: Indicator): string {
  if (i.value === null || i.previous === null || i.previous === undefined) return '';
  const delta = i.value - i.previous;
  if (Math.abs(delta) < 1e-9) return 'no change';
  const good = (delta > 0) === (i.better === 'up');
  return `${delta > 0 ? 'up' : 'down'} from ${formatFigure(i.previous, i.format)} (${good ? 'better' : 'worse'})`;
}

/** Weekly received/resolved bars and the open line, drawn as vector shapes (no browser, no image). */
function weeklyChart(series: ExecutiveReport['complaints']['series'], width = 500, height = 120): Content {
  if (series.length === 0) return { text: 'No complaints in the period.', italics: true, margin: [0, 4, 0, 8] };
  const max = Math.max(1, ...series.flatMap((p) => [p.received, p.resolved, p.open]));
  const slot = width / series.length;
  const bar = Math.max(1, slot * 0.35);
  const y = (v: number) => height - (v / max) * height;
  const shapes: object[] = [{ type: 'line', x1: 0, y1: height, x2: width, y2: height, lineWidth: 0.5, lineColor: '#888' }];
  series.forEach((p, i) => {
    const x = i * slot + slot * 0.1;
    shapes.push({ type: 'rect', x, y: y(p.received), w: bar, h: height - y(p.received), color: '#4263eb' });
    shapes.push({ type: 'rect', x: x + bar, y: y(p.resolved), w: bar, h: height - y(p.resolved), color: '#37b24d' });
  });
  if (series.length > 1) {
    shapes.push({ type: 'polyline', lineWidth: 1.5, lineColor: '#e8590c', points: series.map((p, i) => ({ x: i * slot + slot / 2, y: y(p.open) })) });
  }
  return {
    stack: [
      { canvas: shapes as never },
      { columns: [{ text: series[0].week, fontSize: 7 }, { text: `max ${max}`, fontSize: 7, alignment: 'center' }, { text: series[series.length - 1].week, fontSize: 7, alignment: 'right' }], margin: [0, 2, 0, 0] },
      { text: [{ text: '■ received  ', color: '#4263eb' }, { text: '■ resolved  ', color: '#37b24d' }, { text: '— open at week end', color: '#e8590c' }], fontSize: 8 },
    ],
    margin: [0, 4, 0, 8],
  };
}

/** Horizontal bars of the units or products with the most complaints. */
function barList(rows: { label: string; received: number; upheldRate: number | null }[], width = 250): Content {
  const top = rows.slice(0, 6);
  if (top.length === 0) return { text: 'None in the period.', italics: true, fontSize: 8 };
  const max = Math.max(1, ...top.map((r) => r.received));
  return {
    table: {
      widths: [110, '*'],
      body: top.map((r) => [
        { text: r.label, fontSize: 8 },
        { stack: [
          { canvas: [{ type: 'rect', x: 0, y: 0, w: Math.max(1, (r.received / max) * (width - 170)), h: 7, color: '#4263eb' }] },
          { text: `${r.received} received · upheld ${formatFigure(r.upheldRate, 'percent')}`, fontSize: 7 },
        ] },
      ]),
    },
    layout: 'noBorders',
  };
}

export function executiveReportDocument(report: ExecutiveReport, organisationName: string): PdfDocument {
  const c = report.complaints.current;
  const scopeName = report.unit ? report.unit.name : `${organisationName} (whole company)`;
  const indicatorRows = report.indicators.map((i) => [
    { text: i.label, fontSize: 9 },
    { text: formatFigure(i.value, i.format) + (i.margin !== undefined && i.margin !== null ? ` ± ${i.format === 'nps' ? i.margin.toFixed(0) : i.margin.toFixed(1)}` : ''), fontSize: 9, bold: true, alignment: 'right' as const },
    { text: trend(i), fontSize: 8, color: '#555' },
    { text: i.note ?? '', fontSize: 7, color: '#777' },
  ]);
  const conduct = report.conduct;
  const commentary = report.commentary;
  return {
    pageSize: 'A4',
    pageMargins: [36, 36, 36, 36],
    info: { title: `Executive trust report ${report.period.from} to ${report.period.to}` },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    content: [
      { text: 'Executive trust report', fontSize: 18, bold: true },
      { text: `${scopeName} · ${report.period.from} to ${report.period.to} (compared with ${report.period.previousFrom} to ${report.period.previousTo})`, fontSize: 9, color: '#444', margin: [0, 2, 0, 8] },
      { text: 'Headline indicators', fontSize: 12, bold: true, margin: [0, 4, 0, 2] },
      { table: { widths: [150, 70, 110, '*'], body: indicatorRows }, layout: 'lightHorizontalLines' },
      { text: 'Complaints week by week', fontSize: 12, bold: true, margin: [0, 8, 0, 0] },
      weeklyChart(report.complaints.series),
      {
        columns: [
          { stack: [{ text: 'Turnaround', bold: true }, { text: `Median ${formatFigure(c.calendarDays.median, 'days')} calendar, ${formatFigure(c.businessDays.median, 'days')} business` },
            { text: `90th percentile ${formatFigure(c.calendarDays.p90, 'days')}${c.calendarDays.p90AtLeast ? '+' : ''} calendar, ${formatFigure(c.businessDays.p90, 'days')}${c.businessDays.p90AtLeast ? '+' : ''} business` },
            { text: `Within 3 business days ${formatFigure(c.shareWithin3BusinessDays, 'percent')} · within 8 weeks ${formatFigure(c.shareWithin8Weeks, 'percent')}` },
            { text: `Reopen rate ${formatFigure(c.reopenRate, 'percent')} · redress paid ${money(c.redress.total)}` }] },
          { stack: [{ text: 'Escalations and lessons', bold: true },
            { text: `${report.complaints.escalations.raised} raised, ${report.complaints.escalations.acknowledged} acknowledged (median ${formatFigure(report.complaints.escalations.medianHoursToAcknowledge, 'hours')})` },
            { text: `Lessons: ${report.complaints.escalations.lessonsOpened} opened, ${report.complaints.escalations.lessonsClosed} closed, ${report.complaints.escalations.lessonsOpen} open` },
            { text: 'Care and trust', bold: true, margin: [0, 4, 0, 0] },
            { text: `Care→propensity r = ${report.surveys.careToPropensity.r === null ? '—' : report.surveys.careToPropensity.r.toFixed(2)}${report.surveys.careToPropensity.lower !== null ? ` (95% ${report.surveys.careToPropensity.lower.toFixed(2)} to ${report.surveys.careToPropensity.upper!.toFixed(2)})` : ''}, n = ${report.surveys.careToPropensity.n}` }] },
        ],
        columnGap: 12,
      },
      { text: 'Conduct status', fontSize: 12, bold: true, margin: [0, 8, 0, 2] },
      conduct
        ? { stack: [
          { text: `${conduct.cycleName}: score ${conduct.score === null ? '—' : conduct.score.toFixed(1)}${conduct.capped ? ` (capped: ${conduct.capReason ?? 'red cells'})` : ''}` },
          { text: `Weakest unit: ${conduct.weakestUnit ? `${conduct.weakestUnit.name} (${conduct.weakestUnit.score.toFixed(1)})` : '—'} · ${formatFigure(conduct.shareBelowThreshold, 'percent')} of cells below threshold · ${conduct.redCells} red cells · ${conduct.overdueActions} overdue actions` },
          ...(conduct.weakestPockets.length ? [{ text: 'Weakest pockets', bold: true, margin: [0, 3, 0, 1] as [number, number, number, number] },
            { ul: conduct.weakestPockets.map((p) => `${p.unitPath}: ${p.practiceTitle}${p.critical ? ' (critical)' : ''} scored ${p.score}`) }] : []),
        ] }
        : { text: 'No conduct cycle yet.', italics: true },
      {
        columns: [
          { stack: [{ text: 'Where complaints come from (units)', bold: true, margin: [0, 6, 0, 2] }, barList(report.complaints.by.unit)] },
          { stack: [{ text: 'Products', bold: true, margin: [0, 6, 0, 2] }, barList(report.complaints.by.product)] },
        ],
        columnGap: 12,
      },
      { text: 'Commentary', fontSize: 12, bold: true, margin: [0, 8, 0, 2] },
      commentary
        ? { stack: [
          { text: [{ text: 'Headline: ', bold: true }, commentary.headline || '—'] },
          { text: [{ text: 'Risks: ', bold: true }, commentary.risks || '—'] },
          { text: [{ text: 'Actions: ', bold: true }, commentary.actions || '—'] },
          { text: `${commentary.updatedBy.name}, ${commentary.updatedAt.slice(0, 10)}`, fontSize: 7, color: '#777' },
        ] }
        : { text: 'No commentary written for this period.', italics: true },
      { text: `Generated ${report.generatedAt} by TrustDesk. Figures: complaints only; partly upheld counts as upheld; business days on each unit's calendar.`, fontSize: 7, color: '#777', margin: [0, 8, 0, 0] },
    ],
  };
}

export async function renderExecutiveReportPdf(report: ExecutiveReport, organisationName: string): Promise<Buffer> {
  return renderPdf(executiveReportDocument(report, organisationName));
}
