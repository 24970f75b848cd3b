import { Badge, Box, Group, Paper, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertOctagon, IconArrowsExchange, IconBell, IconCircleCheck, IconClock, IconFileText, IconFlag, IconMail, IconNote, IconPencil, IconPlus,
  IconRotate, IconScale, IconUserCheck, type TablerIcon,
} from '@tabler/icons-react';
import { formatDateTime } from '../../lib/format';
import {
  decisionKindLabels, escalationReasonLabels, formatAmount, kindLabels, labelOf, outcomeLabels, priorityLabels, redressKindLabels, statusLabels,
  channelLabels,
} from './case-labels';
import type { CaseClock, CaseEvent, CaseMessage } from './cases.api';
import { letterKindLabels } from './letters.api';
import type { Directory } from './use-directory';

type Data = Record<string, unknown>;

interface Described {
  text: string;
  detail?: string;
  icon: TablerIcon;
  color: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

const fieldLabels: Record<string, string> = {
  subject: 'Subject',
  description: 'Description',
  product: 'Product',
  category: 'Category',
  priority: 'Priority',
  kind: 'Kind',
  vulnerable: 'Vulnerable',
  vulnerabilityNote: 'Vulnerability note',
  legalHold: 'Legal hold',
  'customer.name': 'Customer name',
  'customer.email': 'Customer e-mail',
  'customer.phone': 'Customer phone',
  'customer.ref': 'Customer reference',
};

function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field === 'priority') return labelOf(priorityLabels, String(value));
  if (field === 'kind') return labelOf(kindLabels, String(value));
  const text = String(value);
  return text.length > 80 ? `“${text.slice(0, 77)}…”` : `“${text}”`;
}

/** One history event as a sentence a person reads; unknown types still say what happened. */
export function describeEvent(event: CaseEvent, directory: Directory, clocks: readonly CaseClock[]): Described {
  const data = (event.data ?? {}) as Data;
  const person = (id: unknown) => directory.userName(str(id)) ?? 'a colleague';
  const unit = (id: unknown) => directory.unitName(str(id)) ?? 'a unit';
  const clock = (name: unknown) => clocks.find((item) => item.name === name)?.label ?? String(name ?? 'a deadline').replaceAll('_', ' ');
  const due = (value: unknown) => (str(value) ? ` (due ${formatDateTime(str(value))})` : '');

  switch (event.type) {
    case 'case.created': {
      const channel = str(data.channel) ? ` (${labelOf(channelLabels, str(data.channel))})` : '';
      const source = str(data.source);
      return {
        text: `Case opened${channel}`,
        detail: source ? `Source: ${source.startsWith('import:') ? 'file import' : source}` : undefined,
        icon: IconPlus,
        color: 'blue',
      };
    }
    case 'case.routed':
      return { text: `Routed to ${person(data.ownerId)} in ${unit(data.unitId)}`, icon: IconUserCheck, color: 'blue' };
    case 'clocks.started': {
      const list = Array.isArray(data.clocks) ? (data.clocks as Data[]) : [];
      return {
        text: `Clocks started${str(data.policy) ? ` (${str(data.policy)})` : ''}`,
        detail: list.map((item) => `${clock(item.name)}: due ${formatDateTime(str(item.dueAt))}`).join('; ') || undefined,
        icon: IconClock,
        color: 'gray',
      };
    }
    case 'clocks.met': {
      const list = Array.isArray(data.clocks) ? (data.clocks as Data[]) : [];
      return {
        text: `${list.length > 1 ? 'Deadlines' : 'Deadline'} met: ${list.map((item) => `${clock(item.name)}${item.state === 'met late' ? ' (late)' : ''}`).join(', ')}`,
        icon: IconCircleCheck,
        color: 'teal',
      };
    }
    case 'clock.warning':
      return { text: `Warning: ${clock(data.clock)} is close${due(data.dueAt)}`, icon: IconBell, color: 'orange' };
    case 'clock.window_closed':
      // An informational window (e.g. summary resolution) passing is not a missed deadline.
      return { text: `Window passed: ${clock(data.clock)}${due(data.dueAt)}`, icon: IconClock, color: 'gray' };
    case 'clock.breached':
      return { text: `Breached: ${clock(data.clock)} was missed${due(data.dueAt)}`, icon: IconAlertOctagon, color: 'red' };
    case 'message.sent':
      return { text: 'Message sent to the customer', icon: IconMail, color: 'blue' };
    case 'note.added':
      return { text: 'Internal note added', icon: IconNote, color: 'gray' };
    case 'letter.sent':
      return {
        text: `Letter sent: ${labelOf(letterKindLabels, str(data.kind)) || 'letter'}`,
        detail: str(data.subject) && `Subject: ${str(data.subject)}`,
        icon: IconFileText,
        color: 'blue',
      };
    case 'clock.extended':
      return {
        text: `Deadline extended: ${clock(data.clock)}${due(data.dueAt)}`,
        detail: str(data.rule),
        icon: IconClock,
        color: 'blue',
      };
    case 'transfer.requested': {
      const to = str(data.toUserId) ? person(data.toUserId) : `the unit ${unit(data.toUnitId)}`;
      return { text: `Transfer requested to ${to}: ${str(data.reason) ?? ''}`.trim(), icon: IconArrowsExchange, color: 'violet' };
    }
    case 'transfer.accepted':
      return { text: `Transfer accepted by ${person(event.actorId)}`, icon: IconArrowsExchange, color: 'violet' };
    case 'transfer.declined':
      return { text: `Transfer declined by ${person(event.actorId)}: ${str(data.reason) ?? ''}`.trim(), icon: IconArrowsExchange, color: 'violet' };
    case 'transfer.cancelled':
      return { text: `Transfer withdrawn${str(data.reason) && data.reason !== 'withdrawn' ? ` (${str(data.reason)})` : ''}`, icon: IconArrowsExchange, color: 'gray' };
    case 'case.owner_changed':
      return {
        text: `Owner changed from ${person(data.from)} to ${person(data.to)}${str(data.reason) ? ` (${str(data.reason)})` : ''}`,
        icon: IconUserCheck,
        color: 'violet',
      };
    case 'case.status_changed': {
      const to = str(data.to);
      const note = str(data.note);
      if (to === 'waiting_customer') return { text: 'Waiting on the customer: clocks that may pause are paused', detail: note, icon: IconClock, color: 'yellow' };
      if (to === 'open' && data.from === 'waiting_customer') return { text: 'Resumed: no longer waiting on the customer', detail: note, icon: IconClock, color: 'blue' };
      if (to === 'closed') return { text: 'Case closed', icon: IconCircleCheck, color: 'gray' };
      return {
        text: `Status changed from ${labelOf(statusLabels, str(data.from))} to ${labelOf(statusLabels, to)}`,
        detail: note ?? str(data.reason),
        icon: IconPencil,
        color: 'gray',
      };
    }
    case 'case.resolved': {
      const redress = data.redress as { amount?: number; kind?: string } | null | undefined;
      const redressText =
        redress && typeof redress.amount === 'number'
          ? `; redress: ${labelOf(redressKindLabels, redress.kind)} of ${formatAmount(redress.amount)}`
          : '';
      return {
        text: `Resolved: ${labelOf(outcomeLabels, str(data.outcome))}${redressText}`,
        detail: str(data.summary),
        icon: IconCircleCheck,
        color: 'teal',
      };
    }
    case 'case.reopened':
      return { text: `Reopened: ${str(data.reason) ?? ''}`.trim(), icon: IconRotate, color: 'blue' };
    case 'case.updated': {
      const changes = (data.changes ?? {}) as Record<string, { before: unknown; after: unknown }>;
      const parts = Object.entries(changes).map(
        ([field, change]) => `${fieldLabels[field] ?? field}: ${fieldValue(field, change?.before)} → ${fieldValue(field, change?.after)}`,
      );
      return { text: `Case details changed`, detail: parts.join('; ') || undefined, icon: IconPencil, color: 'gray' };
    }
    case 'escalation.raised':
      return {
        text: `Escalated to ${person(data.toUserId)}: ${labelOf(escalationReasonLabels, str(data.reason))}`,
        detail: str(data.note),
        icon: IconFlag,
        color: 'orange',
      };
    case 'escalation.acknowledged':
      return { text: `Escalation acknowledged by ${person(event.actorId)}`, icon: IconFlag, color: 'orange' };
    case 'escalation.climbed':
      return {
        text: `Escalation moved up to ${person(data.to)}${str(data.reason) ? ` (${str(data.reason)})` : ''}`,
        icon: IconFlag,
        color: 'orange',
      };
    case 'escalation.resolved':
      return {
        text: `Escalation resolved by ${person(event.actorId)}`,
        detail: [str(data.resolution), str(data.rootCause) && `Root cause: ${str(data.rootCause)}`, str(data.processChange) && `Change: ${str(data.processChange)}`]
          .filter(Boolean)
          .join(' · '),
        icon: IconFlag,
        color: 'teal',
      };
    case 'decision.applied':
    case 'decision.requested':
    case 'decision.approved':
    case 'decision.rejected': {
      const what =
        data.kind !== undefined
          ? `${labelOf(decisionKindLabels, str(data.kind))}${typeof data.amount === 'number' ? ` of ${formatAmount(data.amount)}` : ''}`
          : 'Discretion decision';
      const verb = {
        'decision.applied': 'applied',
        'decision.requested': 'sent for approval',
        'decision.approved': 'approved',
        'decision.rejected': 'rejected',
      }[event.type];
      return {
        text: data.kind !== undefined ? `Discretion decision ${verb}: ${what}` : `${what} ${verb}`,
        detail: str(data.rationale) ?? str(data.note),
        icon: IconScale,
        color: event.type === 'decision.rejected' ? 'red' : 'grape',
      };
    }
    default:
      return { text: event.type.replaceAll('.', ': ').replaceAll('_', ' '), icon: IconPencil, color: 'gray' };
  }
}

type Entry =
  | { key: string; at: string; order: number; kind: 'event'; event: CaseEvent }
  | { key: string; at: string; order: number; kind: 'message'; message: CaseMessage };

/** Status changes that another event of the same moment already tells better. */
function isRedundant(event: CaseEvent, all: readonly CaseEvent[]): boolean {
  if (event.type !== 'case.status_changed') return false;
  const data = (event.data ?? {}) as Data;
  const sameMoment = (type: string) => all.some((other) => other.type === type && other.at === event.at);
  if (data.to === 'resolved') return sameMoment('case.resolved');
  if (data.to === 'open' && (data.from === 'resolved' || data.from === 'closed')) return sameMoment('case.reopened');
  return false;
}

/** Events and messages, oldest first; a message replaces the bare "message sent" event about it. */
export function mergeTimeline(events: readonly CaseEvent[], messages: readonly CaseMessage[]): Entry[] {
  const messageIds = new Set(messages.map((message) => message.id));
  const entries: Entry[] = [];
  events.forEach((event, index) => {
    const messageId = str((event.data as Data | null)?.messageId);
    if ((event.type === 'message.sent' || event.type === 'note.added') && messageId && messageIds.has(messageId)) return;
    if (isRedundant(event, events)) return;
    entries.push({ key: `e${event.seq}`, at: event.at, order: index, kind: 'event', event });
  });
  // A letter's text follows the "Letter sent" event it belongs to.
  const letterOrder = new Map<string, number>();
  events.forEach((event, index) => {
    const messageId = str((event.data as Data | null)?.messageId);
    if (event.type === 'letter.sent' && messageId) letterOrder.set(messageId, index + 0.5);
  });
  messages.forEach((message, index) => {
    entries.push({ key: `m${message.id}`, at: message.createdAt, order: letterOrder.get(message.id) ?? events.length + index, kind: 'message', message });
  });
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
}

function Stamp({ who, at }: { who: string; at: string }) {
  return (
    <Text size="xs" c="dimmed">
      {who} · <time dateTime={at}>{formatDateTime(at)}</time>
    </Text>
  );
}

export function CaseTimeline({
  events,
  messages,
  directory,
  clocks,
}: {
  events: readonly CaseEvent[];
  messages: readonly CaseMessage[];
  directory: Directory;
  clocks: readonly CaseClock[];
}) {
  const entries = mergeTimeline(events, messages);
  return (
    <Box component="ol" role="list" aria-label="Timeline" p={0} m={0} style={{ listStyle: 'none' }}>
      {entries.map((entry) => {
        if (entry.kind === 'message') {
          const { message } = entry;
          const toCustomer = message.visibleToCustomer;
          const author = message.authorType === 'customer' ? 'Customer' : (message.authorName ?? 'TrustDesk');
          return (
            <Box component="li" key={entry.key} mb="sm">
              <Paper withBorder p="sm" bg={toCustomer ? undefined : 'yellow.0'}>
                <Group gap="xs" mb={4} wrap="wrap">
                  <ThemeIcon size="sm" variant="light" color={toCustomer ? 'blue' : 'yellow'} aria-hidden>
                    {toCustomer ? <IconMail size={14} /> : <IconNote size={14} />}
                  </ThemeIcon>
                  <Badge variant="light" color={toCustomer ? 'blue' : 'yellow'} style={{ minWidth: 'max-content' }}>
                    {message.authorType === 'customer' ? 'From customer' : toCustomer ? 'To customer' : 'Internal note'}
                  </Badge>
                  <Stamp who={author} at={message.createdAt} />
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {message.body}
                </Text>
              </Paper>
            </Box>
          );
        }
        const { event } = entry;
        const described = describeEvent(event, directory, clocks);
        const who = event.actorId ? (directory.userName(event.actorId) ?? 'A colleague') : 'TrustDesk';
        return (
          <Box component="li" key={entry.key} mb="sm" px="sm">
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <ThemeIcon size="sm" variant="light" color={described.color} aria-hidden mt={2}>
                <described.icon size={14} />
              </ThemeIcon>
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {described.text}
                </Text>
                {described.detail && (
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {described.detail}
                  </Text>
                )}
                <Stamp who={who} at={event.at} />
              </div>
            </Group>
          </Box>
        );
      })}
    </Box>
  );
}
