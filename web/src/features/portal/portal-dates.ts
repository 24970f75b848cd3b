/**
 * Dates as people in the UK write them ("Friday 8 May 2026"), in the reader's own time zone.
 * Built from parts because some ICU versions put a comma after the weekday.
 */
const dateParts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatLongDate(iso: string): string {
  const date = parse(iso);
  if (!date) return iso;
  const part = (type: Intl.DateTimeFormatPartTypes) => dateParts.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

export function formatLongDateTime(iso: string): string {
  const date = parse(iso);
  return date ? `${formatLongDate(iso)} at ${time.format(date)}` : iso;
}

