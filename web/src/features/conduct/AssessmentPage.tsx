import { Alert, Anchor, Badge, Button, Card, Grid, Group, List, Modal, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { ActionFormModal } from './ActionFormModal';
import {
  conductKeys,
  fetchAssessment,
  fetchAssessmentEvents,
  fetchSignals,
  markNotApplicable,
  reopenAssessment,
  saveAssessment,
  setAssessmentEvidence,
  submitAssessment,
  approveEvidence,
  eventComment,
  type Assessment,
  type Evidence,
} from './conduct.api';
import { actionLink, assessorRoles, CellStateBadge, conductManagerRoles, formatDate, FormFooter, percent, practiceLink, ScoreBadge, Section, unitKindLabel } from './conduct-ui';
import { EvidenceSection } from './EvidenceSection';
import { ReviewPanel } from './ReviewPanel';

const editableStates = new Set(['not_started', 'draft', 'returned']);

/** One cell of a cycle (a practice in a unit): guidance, the self-assessment, evidence, review and history. */
export function AssessmentPage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: conductKeys.assessment(id), queryFn: ({ signal }) => fetchAssessment(id, signal) });
  const cell = query.data;
  usePageTitle(cell ? `${cell.practiceTitle} · ${cell.unitName}` : 'Assessment');
  return (
    <QueryState query={query} loadingLabel="Loading the assessment">
      {cell && <AssessmentView cell={cell} />}
    </QueryState>
  );
}

function AssessmentView({ cell }: { cell: Assessment }) {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const canAssess = hasRole(user.role, assessorRoles) && !cell.locked && editableStates.has(cell.state);
  const canReview = hasRole(user.role, conductManagerRoles) && cell.state === 'submitted';
  // Agents of the unit add evidence too (the API links new uploads to the cell until it is approved).
  const canAddEvidence = canAssess || (user.role === 'agent' && !cell.locked && cell.state !== 'approved' && cell.state !== 'not_applicable');
  const [actionOpen, setActionOpen] = useState(false);
  const threshold = cell.threshold ?? 3;
  const max = cell.scale?.max ?? 5;

  const attach = useMutation({
    mutationFn: (evidenceIds: string[]) => setAssessmentEvidence(cell.id, evidenceIds),
    onSuccess: (saved) => queryClient.setQueryData(conductKeys.assessment(cell.id), saved),
    onError: (error) => notifications.show({ color: 'red', title: 'Could not change the evidence', message: (error as Error).message }),
  });
  const currentIds = (cell.evidence ?? []).map((item) => item.id);
  const approve = useMutation({
    mutationFn: (evidence: Evidence) => approveEvidence(evidence.id),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.assessment(cell.id) });
      notifications.show({ color: 'teal', message: `Evidence “${saved.title}” approved` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not approve the evidence', message: (error as Error).message }),
  });

  return (
    <>
      <PageHeader
        title={`${cell.practiceTitle} · ${cell.unitName}`}
        description={
          <>
            {cell.practiceCode} · {unitKindLabel(cell.unitKind)} {cell.unitName}
            {cell.cycleName ? ` · cycle ${cell.cycleName}` : ''} ·{' '}
            <Anchor component={Link} to={practiceLink(cell.practiceId)} size="sm" underline="always">
              About this practice
            </Anchor>
          </>
        }
        actions={
          hasRole(user.role, assessorRoles) && (
            <Button variant="default" onClick={() => setActionOpen(true)}>
              Create an action
            </Button>
          )
        }
      />
      <Group gap="xs" mb="md">
        <CellStateBadge state={cell.state} />
        {cell.critical && (
          <Badge color="red.9" variant="outline" style={{ textTransform: 'none' }}>
            Critical practice
          </Badge>
        )}
        {cell.state !== 'not_started' && cell.score !== null && <ScoreBadge score={cell.score} threshold={threshold} max={max} />}
        {cell.locked && <Badge color="gray.8" style={{ textTransform: 'none' }}>Locked after approval</Badge>}
      </Group>
      {cell.requiredActionId && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} mb="md" title="Improvement action required">
          This cell scored below the threshold of {threshold}.{' '}
          <Anchor component={Link} to={actionLink(cell.requiredActionId)} underline="always">
            Open the required action
          </Anchor>
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Guidance cell={cell} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {cell.state === 'returned' && cell.reviewComment && (
            <Alert color="orange" icon={<IconArrowBackUp aria-hidden />} title="Returned by the reviewer" mb="md">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {cell.reviewComment}
              </Text>
            </Alert>
          )}
          {canAssess ? <SelfAssessmentForm cell={cell} /> : <ReadOnlyScores cell={cell} />}
          <Section id="evidence-title" title="Evidence">
            <EvidenceSection
              unitId={cell.unitId}
              assessmentId={cell.id}
              attached={cell.evidence ?? []}
              editable={canAddEvidence}
              allowReuse={canAssess}
              detaching={attach.isPending}
              onAttach={(evidence, created) => {
                // New uploads are linked to the cell by the server; reused evidence is linked here.
                if (created && evidence.assessmentIds.includes(cell.id)) void queryClient.invalidateQueries({ queryKey: conductKeys.assessment(cell.id) });
                else attach.mutate([...new Set([...currentIds, evidence.id])]);
              }}
              onDetach={canAssess ? (evidence) => attach.mutate(currentIds.filter((other) => other !== evidence.id)) : undefined}
              onApprove={hasRole(user.role, conductManagerRoles) ? (evidence) => approve.mutate(evidence) : undefined}
              approving={approve.isPending}
            />
          </Section>
          {canReview && (
            <Section id="review-title" title="Review">
              <ReviewPanel cell={cell} />
            </Section>
          )}
          <CellSignals cell={cell} />
          {cell.state === 'not_applicable' && hasRole(user.role, conductManagerRoles) && <ReopenButton cell={cell} />}
          <History cell={cell} />
        </Grid.Col>
      </Grid>
      {actionOpen && (
        <ActionFormModal
          opened
          onClose={() => setActionOpen(false)}
          target={{ practiceId: cell.practiceId, practiceTitle: cell.practiceTitle, unitId: cell.unitId, unitName: cell.unitName, suggestedTitle: `Improve ${cell.practiceTitle.toLowerCase()} in ${cell.unitName}` }}
        />
      )}
    </>
  );
}

function Guidance({ cell }: { cell: Assessment }) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="guidance-title">
      <Title order={2} size="h4" id="guidance-title" mb="xs">
        What good looks like
      </Title>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {cell.guidance || 'No guidance written for this practice yet.'}
      </Text>
      {(cell.exampleEvidence ?? []).length > 0 && (
        <>
          <Title order={3} size="h5" mt="md" mb={4}>
            Example evidence
          </Title>
          <List size="sm" spacing={2}>
            {cell.exampleEvidence!.map((example) => (
              <List.Item key={example}>{example}</List.Item>
            ))}
          </List>
        </>
      )}
      {cell.scale && (
        <>
          <Title order={3} size="h5" mt="md" mb={4}>
            Score levels
          </Title>
          <dl style={{ margin: 0 }}>
            {cell.scale.levels.map((level) => (
              <div key={level.score} style={{ marginBottom: 6 }}>
                <Text component="dt" size="sm" fw={600}>
                  {level.score} · {level.label}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  {level.description}
                </Text>
              </div>
            ))}
          </dl>
          <Text size="xs" c="dimmed">
            Scores below {cell.threshold ?? 3} are red and need an improvement action.
          </Text>
        </>
      )}
      {cell.previous && (
        <>
          <Title order={3} size="h5" mt="md" mb={4}>
            Last cycle ({cell.previous.cycleName})
          </Title>
          <Text size="sm">Score {cell.previous.score ?? '—'}</Text>
          {cell.previous.rationale && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {cell.previous.rationale}
            </Text>
          )}
        </>
      )}
    </Card>
  );
}

function SelfAssessmentForm({ cell }: { cell: Assessment }) {
  const queryClient = useQueryClient();
  const levels = cell.scale?.levels ?? [1, 2, 3, 4, 5].map((score) => ({ score, label: String(score), description: '' }));
  const [score, setScore] = useState<string>(cell.selfScore === null ? '' : String(cell.selfScore));
  const [rationale, setRationale] = useState(cell.rationale ?? '');
  const [errors, setErrors] = useState<{ score?: string; rationale?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [naOpen, setNaOpen] = useState(false);
  useEffect(() => {
    setScore(cell.selfScore === null ? '' : String(cell.selfScore));
    setRationale(cell.rationale ?? '');
  }, [cell.id, cell.selfScore, cell.rationale]);

  const onSaved = (saved: Assessment, message: string) => {
    queryClient.setQueryData(conductKeys.assessment(cell.id), saved);
    void queryClient.invalidateQueries({ queryKey: conductKeys.all });
    notifications.show({ color: 'teal', message });
  };
  const draft = useMutation({
    mutationFn: () => saveAssessment(cell.id, { ...(score ? { selfScore: Number(score) } : {}), rationale }),
    onSuccess: (saved) => onSaved(saved, 'Draft saved'),
    onError: (error) => setFormError((error as Error).message),
  });
  const submit = useMutation({
    mutationFn: () => submitAssessment(cell.id, { selfScore: Number(score), rationale: rationale.trim() }),
    onSuccess: (saved) => onSaved(saved, `${cell.practiceTitle} in ${cell.unitName} submitted for review`),
    onError: (error) => setFormError((error as Error).message),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!score) next.score = 'Choose a score';
    if (!rationale.trim()) next.rationale = 'Explain the score: what you do, and how you know';
    setErrors(next);
    setFormError(null);
    if (next.score) document.querySelector<HTMLInputElement>('input[name="self-score"]')?.focus();
    else if (next.rationale) document.getElementById('self-rationale')?.focus();
    else submit.mutate();
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="self-title">
      <Title order={2} size="h4" id="self-title" mb="xs">
        Self-assessment
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Radio.Group name="self-score" label="Score" required value={score} onChange={setScore} error={errors.score}>
            <Stack gap={6} mt={6}>
              {levels.map((level) => (
                <Radio key={level.score} value={String(level.score)} label={`${level.score} · ${level.label}`} description={level.description || undefined} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            id="self-rationale"
            label="Rationale"
            description="What the unit does, how well, and what the evidence shows"
            required
            autosize
            minRows={4}
            value={rationale}
            onChange={(e) => setRationale(e.currentTarget.value)}
            error={errors.rationale}
          />
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={submit.isPending}>
              Submit for review
            </Button>
            <Button variant="default" onClick={() => draft.mutate()} loading={draft.isPending}>
              Save draft
            </Button>
            <Button variant="default" onClick={() => setNaOpen(true)}>
              Mark not applicable
            </Button>
          </Group>
        </Stack>
      </form>
      {naOpen && <NotApplicableModal cell={cell} onClose={() => setNaOpen(false)} />}
    </Card>
  );
}

function NotApplicableModal({ cell, onClose }: { cell: Assessment; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => markNotApplicable(cell.id, justification.trim()),
    onSuccess: (saved) => {
      queryClient.setQueryData(conductKeys.assessment(cell.id), saved);
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: `${cell.practiceTitle} marked not applicable to ${cell.unitName}` });
      onClose();
    },
    onError: (failure) => setError((failure as Error).message),
  });
  return (
    <Modal opened onClose={onClose} title={`Not applicable to ${cell.unitName}?`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (justification.trim().length < 10) return setError('Explain in a sentence why this practice does not apply to this unit.');
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <Textarea
            label="Justification"
            description="Compliance reviews this; the cell leaves the score."
            required
            autosize
            minRows={3}
            value={justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
            error={error}
            data-autofocus
          />
          <FormFooter error={null} onCancel={onClose} submitLabel="Mark not applicable" loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function ReadOnlyScores({ cell }: { cell: Assessment }) {
  const threshold = cell.threshold ?? 3;
  const max = cell.scale?.max ?? 5;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="scores-title">
      <Title order={2} size="h4" id="scores-title" mb="xs">
        Scores
      </Title>
      {cell.state === 'not_applicable' ? (
        <Text size="sm">Not applicable: {cell.notApplicableReason}</Text>
      ) : cell.state === 'not_started' ? (
        <Text size="sm">Not assessed yet.</Text>
      ) : (
        <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '6px 16px' }}>
          <Text component="dt" size="sm" fw={600}>
            Self-assessed
          </Text>
          <Text component="dd" m={0} size="sm">
            <ScoreBadge score={cell.selfScore} threshold={threshold} max={max} />
          </Text>
          <Text component="dt" size="sm" fw={600}>
            Reviewer
          </Text>
          <Text component="dd" m={0} size="sm">
            {cell.reviewerScore === null ? 'No override' : <ScoreBadge score={cell.reviewerScore} threshold={threshold} max={max} />}
          </Text>
          {cell.gap !== null && (
            <>
              <Text component="dt" size="sm" fw={600}>
                Gap (self − reviewer)
              </Text>
              <Text component="dd" m={0} size="sm" fw={700}>
                {cell.gap > 0 ? `+${cell.gap}` : cell.gap}
              </Text>
            </>
          )}
          <Text component="dt" size="sm" fw={600}>
            Rationale
          </Text>
          <Text component="dd" m={0} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {cell.rationale || '—'}
          </Text>
          {cell.reviewComment && (
            <>
              <Text component="dt" size="sm" fw={600}>
                Reviewer’s comment
              </Text>
              <Text component="dd" m={0} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {cell.reviewComment}
              </Text>
            </>
          )}
        </dl>
      )}
    </Card>
  );
}

/** Complaints and care beside the score: a strong self-assessment with many upheld complaints is flagged. */
function CellSignals({ cell }: { cell: Assessment }) {
  const query = useQuery({
    queryKey: [...conductKeys.cycleData(cell.cycleId), 'signals', cell.unitId],
    queryFn: ({ signal }) => fetchSignals(cell.cycleId, cell.unitId, signal),
    staleTime: 60_000,
  });
  const signal = query.data?.items.find((item) => item.unitId === cell.unitId && item.practiceId === cell.practiceId);
  return (
    <Section id="cell-signals-title" title="Customer signals">
      <QueryState query={query} loadingLabel="Loading complaint and care signals">
        {!signal ? (
          <Text size="sm">No complaint category or survey is mapped to this practice for this unit.</Text>
        ) : (
          <>
            {signal.flag && (
              <Alert color="red" icon={<IconAlertTriangle aria-hidden />} mb="xs" p="xs" title="Strong self-assessment, many upheld complaints">
                Check the score against what customers say.
              </Alert>
            )}
            <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px' }}>
              <Text component="dt" size="sm" fw={600}>
                Complaints
              </Text>
              <Text component="dd" size="sm" m={0}>
                {signal.complaints}
                {query.data?.window ? ` (${formatDate(query.data.window.from)} to ${formatDate(query.data.window.to)})` : ''}
              </Text>
              <Text component="dt" size="sm" fw={600}>
                Upheld rate
              </Text>
              <Text component="dd" size="sm" m={0}>
                {percent(signal.upheldRate)} ({signal.upheld} upheld)
              </Text>
              <Text component="dt" size="sm" fw={600}>
                Care score
              </Text>
              <Text component="dd" size="sm" m={0}>
                {signal.careScore === null ? 'No survey answers' : `${signal.careScore.toFixed(1)} / 10 from ${signal.careResponses ?? 0} answers`}
              </Text>
            </dl>
          </>
        )}
      </QueryState>
    </Section>
  );
}

function ReopenButton({ cell }: { cell: Assessment }) {
  const queryClient = useQueryClient();
  const reopen = useMutation({
    mutationFn: () => reopenAssessment(cell.id),
    onSuccess: (saved) => {
      queryClient.setQueryData(conductKeys.assessment(cell.id), saved);
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
    },
    onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
  });
  return (
    <Group mt="md">
      <Button variant="default" onClick={() => reopen.mutate()} loading={reopen.isPending}>
        Reopen: the practice applies after all
      </Button>
    </Group>
  );
}

const eventLabels: Record<string, string> = {
  'assessment.added': 'Cell added',
  'assessment.draft_saved': 'Draft saved',
  'assessment.rescored': 'Re-scored after an action',
  'assessment.submitted': 'Submitted for review',
  'assessment.approved': 'Approved',
  'assessment.returned': 'Returned with comments',
  'assessment.overridden': 'Approved with a reviewer score',
  'assessment.not_applicable': 'Marked not applicable',
  'assessment.reopened': 'Reopened',
  'assessment.evidence_set': 'Evidence changed',
};

function History({ cell }: { cell: Assessment }) {
  const query = useQuery({
    queryKey: [...conductKeys.assessment(cell.id), 'events', cell.updatedAt],
    queryFn: ({ signal }) => fetchAssessmentEvents(cell.id, signal),
  });
  const items = query.data?.items ?? [];
  return (
    <Section id="history-title" title="History">
      <QueryState query={query} loadingLabel="Loading the history">
        {items.length === 0 ? (
          <Text size="sm">No history yet.</Text>
        ) : (
          <List spacing={4} size="sm" aria-labelledby="history-title">
            {items.map((event) => {
              const comment = eventComment(event);
              return (
                <List.Item key={event.seq}>
                  <time dateTime={event.at}>{formatDateTime(event.at)}</time> · {eventLabels[event.type] ?? event.type.replace(/^assessment\./, '').replaceAll('_', ' ')}
                  {event.actorName ? ` by ${event.actorName}` : ''}
                  {comment ? `: “${comment}”` : ''}
                </List.Item>
              );
            })}
          </List>
        )}
      </QueryState>
    </Section>
  );
}
