import { Badge, Group, Text } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconClock, IconClockExclamation, IconHeartHandshake } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { clockStateLabels, labelOf, priorityLabels, statusLabels } from './case-labels';
import type { CasePriority, CaseStatus, ClockState } from './cases.api';

/**
 * Every marker here says what it means in words; colour and icon only repeat it, so nobody
 * depends on telling red from green.
 */

const badgeStyle = { minWidth: 'max-content' } as const;
const inlineIcon = { display: 'inline-flex', alignItems: 'center', gap: 4, whiteSpace: 'nowrap' } as const;

const statusColors: Record<CaseStatus, string> = {
  open: 'blue',
  waiting_customer: 'yellow',
  resolved: 'teal',
  closed: 'gray',
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge variant="light" color={statusColors[status] ?? 'gray'} style={badgeStyle}>
      {labelOf(statusLabels, status)}
    </Badge>
  );
}

const priorityColors: Record<CasePriority, string> = { low: 'gray', normal: 'gray', high: 'orange', urgent: 'red' };

export function PriorityText({ priority }: { priority: CasePriority }) {
  const emphasis = priority === 'high' || priority === 'urgent';
  return (
    <Text span size="sm" fw={emphasis ? 600 : undefined} c={emphasis ? `${priorityColors[priority]}.9` : undefined}>
      {labelOf(priorityLabels, priority)}
    </Text>
  );
}

export function VulnerableMarker() {
  return (
    <Text span size="sm" fw={500} c="grape.9" style={inlineIcon}>
      <IconHeartHandshake size={16} aria-hidden />
      Vulnerable
    </Text>
  );
}

export function BreachedBadge() {
  return (
    <Badge color="red" variant="filled" leftSection={<IconAlertOctagon size={12} aria-hidden />} style={badgeStyle}>
      Breached
    </Badge>
  );
}

const clockColors: Record<ClockState, string> = {
  running: 'blue',
  paused: 'gray',
  met: 'teal',
  warning: 'orange',
  breached: 'red',
};

export function ClockStateBadge({ state, informational = false }: { state: ClockState; informational?: boolean }) {
  // An informational window (e.g. "resolve within 3 business days") that passed is no broken promise.
  if (informational && state === 'breached') {
    return (
      <Badge variant="light" color="gray" style={badgeStyle}>
        Window passed
      </Badge>
    );
  }
  return (
    <Badge variant={state === 'breached' ? 'filled' : 'light'} color={clockColors[state] ?? 'gray'} style={badgeStyle}>
      {labelOf(clockStateLabels, state)}
    </Badge>
  );
}

/** Re-renders every minute, so "due in 5 min" does not stay frozen on an open page. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function span(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < 48 * HOUR) return `${Math.round(ms / HOUR)} h`;
  const days = Math.round(ms / DAY);
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

export type DueTone = 'overdue' | 'soon' | 'later';

/** "due in 3 h" / "overdue by 2 days", and how urgent that is. */
export function describeDue(dueAt: string, now: number): { text: string; tone: DueTone } {
  const diff = new Date(dueAt).getTime() - now;
  if (diff < 0) return { text: `overdue by ${span(-diff)}`, tone: 'overdue' };
  return { text: `due in ${span(diff)}`, tone: diff < DAY ? 'soon' : 'later' };
}

const toneStyle: Record<DueTone, { color: string | undefined; Icon: typeof IconClock }> = {
  overdue: { color: 'red.9', Icon: IconAlertTriangle },
  soon: { color: 'orange.9', Icon: IconClockExclamation },
  later: { color: undefined, Icon: IconClock },
};

/** The next deadline: relative, with an icon and colour that repeat the words, and the date below. */
export function DueCell({ dueAt, breached, now }: { dueAt: string | null; breached: boolean; now: number }) {
  if (!dueAt) {
    return (
      <Group gap={6} wrap="nowrap">
        <Text span size="sm" c="dimmed">
          No deadline
        </Text>
        {breached && <BreachedBadge />}
      </Group>
    );
  }
  const { text, tone } = describeDue(dueAt, now);
  const { color, Icon } = toneStyle[tone];
  return (
    <div>
      <Group gap={6} wrap="nowrap">
        <Text span size="sm" c={color} fw={tone === 'later' ? undefined : 600} style={inlineIcon}>
          <Icon size={16} aria-hidden />
          {text}
        </Text>
        {breached && <BreachedBadge />}
      </Group>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(dueAt)}
      </Text>
    </div>
  );
}
