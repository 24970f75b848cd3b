import { Alert, Anchor, Badge, Button, Group, List, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, type Page } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Role, User } from '../../lib/types';
import { conductKeys, fetchCycles, type ActionPriority, type ActionStatus, type Band, type CellState, type Evidence } from './conduct.api';

/** Labels, colours and small pieces the conduct pages share. Colour is only ever a cue beside text. */

/** Who reviews cells, runs cycles, verifies actions and edits the catalogue (as the API decides). */
export const conductManagerRoles: readonly Role[] = ['admin', 'compliance'];
/** Who self-assesses cells and creates actions in their units. */
export const assessorRoles: readonly Role[] = ['admin', 'compliance', 'lead'];

export const cellStateLabels: Record<CellState, string> = {
  not_started: 'Not started',
  draft: 'Draft',
  submitted: 'Submitted for review',
  returned: 'Returned',
  approved: 'Approved',
  not_applicable: 'Not applicable',
};
const cellStateColors: Record<CellState, string> = {
  not_started: 'gray',
  draft: 'blue',
  submitted: 'violet',
  returned: 'orange',
  approved: 'teal',
  not_applicable: 'gray',
};

export const actionStatusLabels: Record<ActionStatus, string> = { open: 'Open', done: 'Done, awaiting verification', verified: 'Verified' };
const actionStatusColors: Record<ActionStatus, string> = { open: 'blue', done: 'violet', verified: 'teal' };

export const priorityLabels: Record<ActionPriority, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
// Outline text needs the darkest shades for 4.5:1 contrast on white.
const priorityColors: Record<ActionPriority, string> = { low: 'gray.8', medium: 'blue.9', high: 'violet.9', critical: 'red.9' };

export const bandLabels: Record<Band, string> = { green: 'Good', amber: 'Needs attention', red: 'Failing' };
// Dark shades take white text, the light amber takes dark text (autoContrast): 4.5:1 either way.
export const bandColors: Record<Band, string> = { green: 'teal.9', amber: 'yellow.4', red: 'red.9' };

export const unitKindLabel = (kind: string): string =>
  ({ company: 'Company', division: 'Division', region: 'Region', team: 'Team' })[kind] ?? kind;

/** Badges sit in narrow table cells; their words must never be cut to an ellipsis. */
const noTruncate = { textTransform: 'none', minWidth: 'max-content', overflow: 'visible' } as const;

export function CellStateBadge({ state }: { state: CellState }) {
  return (
    <Badge variant="light" color={cellStateColors[state]} style={{ textTransform: 'none', minWidth: 'max-content' }}>
      {cellStateLabels[state] ?? state}
    </Badge>
  );
}

export function ActionStatusBadge({ status, overdue }: { status: ActionStatus; overdue?: boolean }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="light" color={actionStatusColors[status]} style={{ textTransform: 'none', minWidth: 'max-content' }}>
        {actionStatusLabels[status] ?? status}
      </Badge>
      {overdue && status === 'open' && (
        <Badge variant="filled" color="red.9" style={{ textTransform: 'none' }}>
          Overdue
        </Badge>
      )}
    </Group>
  );
}

export function PriorityBadge({ priority }: { priority: ActionPriority }) {
  return (
    <Badge variant="outline" color={priorityColors[priority]} style={{ textTransform: 'none' }}>
      {priorityLabels[priority] ?? priority}
    </Badge>
  );
}

/**
 * A cell score as text ("1 of 5") with a colour cue: red below the threshold, amber at it, green
 * above. Screen readers and colour-blind readers get the number and the word "below threshold".
 */
export function ScoreBadge({ score, threshold, max = 5 }: { score: number | null | undefined; threshold: number; max?: number }) {
  if (score === null || score === undefined) return <Text size="sm" c="dimmed">Not scored</Text>;
  const red = score < threshold;
  return (
    <Badge variant="filled" color={red ? 'red.9' : score === threshold ? 'yellow.4' : 'teal.9'} autoContrast style={noTruncate}>
      {formatScore(score)} of {max}
      {red ? ' · below threshold' : ''}
    </Badge>
  );
}

export const formatScore = (score: number): string => (Number.isInteger(score) ? String(score) : score.toFixed(1));
export const percent = (share: number | null | undefined): string => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);
export const formatDate = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '');

export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-labelledby={id} style={{ marginTop: 'var(--mantine-spacing-xl)' }}>
      <Group justify="space-between" align="flex-end" mb="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </section>
  );
}

/** One piece of evidence as a line: a download link for files, the URL for links, the text for notes. */
export function EvidenceLine({ evidence, onApprove, approving }: { evidence: Evidence; onApprove?: (evidence: Evidence) => void; approving?: boolean }) {
  return (
    <div>
      {evidence.kind === 'file' && evidence.file ? (
        <Anchor href={evidence.file.downloadUrl} download={evidence.file.filename}>
          {evidence.title} ({evidence.file.filename}, {Math.max(1, Math.round(evidence.file.size / 1024))} KB)
        </Anchor>
      ) : evidence.kind === 'link' && evidence.url ? (
        <Anchor href={evidence.url} target="_blank" rel="noopener noreferrer">
          {evidence.title} (link, opens in a new tab)
        </Anchor>
      ) : (
        <Text span fw={600} size="sm">
          {evidence.title} (note)
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {evidence.unitName} · added by {evidence.ownerName} on {formatDateTime(evidence.createdAt)} · {evidence.status}
        {evidence.expiresAt ? ` · expires ${formatDate(evidence.expiresAt)}` : ''}
      </Text>
      {evidence.kind === 'note' && evidence.note && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {evidence.note}
        </Text>
      )}
      {onApprove && evidence.status === 'draft' && (
        <Button size="compact-xs" variant="default" mt={4} loading={approving} onClick={() => onApprove(evidence)} aria-label={`Approve the evidence ${evidence.title}`}>
          Approve evidence
        </Button>
      )}
    </div>
  );
}

export function EvidenceList({
  items,
  empty = 'No evidence yet.',
  onApprove,
  approving,
}: {
  items: Evidence[];
  empty?: string;
  onApprove?: (evidence: Evidence) => void;
  approving?: boolean;
}) {
  if (items.length === 0) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <List spacing="xs" listStyleType="none" aria-label="Evidence" p={0}>
      {items.map((evidence) => (
        <List.Item key={evidence.id}>
          <EvidenceLine evidence={evidence} onApprove={onApprove} approving={approving} />
        </List.Item>
      ))}
    </List>
  );
}

/** People who can be given an action: from /users for roles that may read the organisation. */
export function usePeople(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'conduct-delegates'],
    queryFn: ({ signal }) => api.get<Page<User>>('/api/v1/users', { limit: 500, active: true }, signal),
    enabled,
    staleTime: 5 * 60_000,
    select: (page) =>
      page.items
        .filter((user) => user.active)
        .map((user) => ({ value: user.id, label: `${user.name} (${user.unitName})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
  });
}

export const cellLink = (assessmentId: string) => `/conduct/assessments/${assessmentId}`;
export const actionLink = (actionId: string) => `/conduct/actions/${actionId}`;
export const practiceLink = (practiceId: string) => `/conduct/practices/${practiceId}`;

export function PracticeName({ practiceId, title, critical }: { practiceId: string; title: string; critical?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Anchor component={Link} to={practiceLink(practiceId)}>
        {title}
      </Anchor>
      {critical && (
        <Badge size="sm" color="red.9" variant="outline" style={noTruncate}>
          Critical
        </Badge>
      )}
    </Group>
  );
}

/** The end of every conduct form in a dialog: the form's error (announced), Cancel, and the submit button. */
export function FormFooter({ error, onCancel, submitLabel, loading }: { error: string | null; onCancel: () => void; submitLabel: string; loading: boolean }) {
  return (
    <>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={loading}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}

/** The cycles, and the one a page opens on: the newest open cycle, else the newest. */
export function useCycleChoice() {
  const cycles = useQuery({ queryKey: conductKeys.cycles, queryFn: ({ signal }) => fetchCycles(signal) });
  const list = cycles.data?.items ?? [];
  const fallback = (list.find((cycle) => cycle.status === 'open') ?? list[0])?.id ?? null;
  return { cycles, list, fallback };
}
