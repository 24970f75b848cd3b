import { Alert, Anchor, Badge, Button, EmptyState, Group, List, Modal, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconMessageStar, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { applyApiError, focusFirstError } from '../../lib/form-errors';
import { formatDateTime } from '../../lib/format';
import { CsvInvite, PublicLinkButton } from './SurveyLinks';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useSession } from '../auth/session';
import {
  audienceLabels,
  createSurvey,
  fetchSurveys,
  inviteToSurvey,
  publishSurvey,
  statusLabels,
  surveysQueryKey,
  templateLabels,
  touchpointLabels,
  type InvitationResult,
  type Survey,
  type SurveyAudience,
  type SurveyStatus,
  type SurveyTemplate,
} from './surveys.api';

const statusColors: Record<SurveyStatus, string> = { draft: 'gray', live: 'teal', closed: 'dark' };
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** Admins and compliance run surveys; leads and executives read them. */
export const canManageSurveys = (role: string | undefined) => role === 'admin' || role === 'compliance';

function NewSurveyModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', audience: 'customers' as SurveyAudience, touchpoint: 'case_resolution', template: 'customer_care' as SurveyTemplate },
    validate: {
      name: (value: string) => (value.trim() ? null : 'Give the survey a name'),
      touchpoint: (value: string) => (value ? null : 'Choose a touchpoint'),
    },
  });
  const mutation = useMutation({
    mutationFn: createSurvey,
    onSuccess: async (survey) => {
      await queryClient.invalidateQueries({ queryKey: surveysQueryKey });
      notifications.show({ color: 'teal', message: `Survey “${survey.name}” created as a draft.` });
      onClose();
    },
    onError: (error) => setFormError(applyApiError(form, error, ['name', 'audience', 'touchpoint', 'template'])),
  });
  return (
    <Modal opened onClose={onClose} title="New survey">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          mutation.mutate({ ...values, name: values.name.trim() });
        }, focusFirstError(form))}
      >
        <Stack gap="sm">
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <Select
            label="Audience"
            required
            allowDeselect={false}
            data={options(audienceLabels)}
            {...form.getInputProps('audience')}
            onChange={(value) => {
              form.setFieldValue('audience', (value ?? 'customers') as SurveyAudience);
              form.setFieldValue('template', value === 'advisers' ? 'adviser' : 'customer_care');
            }}
          />
          <Select label="Touchpoint" required allowDeselect={false} data={options(touchpointLabels)} {...form.getInputProps('touchpoint')} />
          <Select
            label="Questions from template"
            required
            allowDeselect={false}
            data={options(templateLabels)}
            description="Care, propensity to do more business and recommendation, then a few optional questions."
            {...form.getInputProps('template')}
          />
          {formError && (
            <Alert color="red" role="alert" title="The survey was not created">
              {formError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Create survey
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function InviteModal({ survey, onClose }: { survey: Survey; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<InvitationResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), staleTime: 5 * 60_000 });
  const unitOptions = useMemo(() => (units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name })), [units.data]);
  const depthById = useMemo(() => new Map((units.data?.items ?? []).map((unit) => [unit.id, unit.depth])), [units.data]);
  const form = useForm({
    mode: 'controlled',
    initialValues: { emails: '', unitId: null as string | null },
    validate: {
      emails: (value: string) => {
        const lines = value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
        if (lines.length === 0) return 'Enter at least one e-mail address';
        const bad = lines.filter((line) => !emailPattern.test(line));
        if (bad.length) return `Not an e-mail address: ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? '…' : ''}`;
        if (lines.length > 5000) return 'At most 5,000 addresses at a time';
        return null;
      },
    },
  });
  const mutation = useMutation({
    mutationFn: ({ emails, unitId }: { emails: string[]; unitId: string | null }) => inviteToSurvey(survey.id, emails, unitId),
    onSuccess: async (answer) => {
      setResult(answer);
      form.setFieldValue('emails', '');
      await queryClient.invalidateQueries({ queryKey: surveysQueryKey });
    },
    onError: (error) => setFormError(isApiError(error) ? error.message : 'The invitations were not sent. Please try again.'),
  });
  return (
    <Modal opened onClose={onClose} title={`Invite people to ${survey.name}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          setResult(null);
          const emails = [...new Set(values.emails.split(/\r?\n/).map((line) => line.trim().toLowerCase()).filter(Boolean))];
          mutation.mutate({ emails, unitId: values.unitId });
        }, focusFirstError(form))}
      >
        <Stack gap="sm">
          <Textarea
            label="E-mail addresses"
            description="One per line. Each person gets a single-use link; anyone surveyed recently is skipped."
            required
            autosize
            minRows={5}
            maxRows={14}
            data-autofocus
            {...form.getInputProps('emails')}
          />
          <Select
            label="Unit that served them"
            description="Optional. Results are shown by unit, and a low score's follow-up goes to someone in this unit."
            placeholder="Choose a unit"
            searchable
            clearable
            data={unitOptions}
            nothingFoundMessage="No unit matches"
            renderOption={({ option }) => (
              <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>
            )}
            {...form.getInputProps('unitId')}
          />
          {formError && (
            <Alert color="red" role="alert" title="Nobody was invited">
              {formError}
            </Alert>
          )}
          <CsvInvite survey={survey} onResult={setResult} />
          <div role="status">
            {result && (
              <Alert color={result.skipped.length ? 'yellow' : 'teal'} title={`${result.invited} ${result.invited === 1 ? 'person' : 'people'} invited`}>
                {result.skipped.length === 0 ? (
                  <Text size="sm">Nobody was skipped.</Text>
                ) : (
                  <>
                    <Text size="sm">{result.skipped.length} skipped:</Text>
                    <List size="sm">
                      {result.skipped.map((skip) => (
                        <List.Item key={skip.email}>
                          {skip.email} — {skip.reason}
                        </List.Item>
                      ))}
                    </List>
                  </>
                )}
              </Alert>
            )}
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Done
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Send invitations
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PublishButton({ survey }: { survey: Survey }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => publishSurvey(survey.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: surveysQueryKey });
      notifications.show({ color: 'teal', message: `“${survey.name}” is live: you can invite people now.` });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not published', message: isApiError(error) ? error.message : 'Please try again.' }),
  });
  return (
    <Button size="xs" variant="light" loading={mutation.isPending} onClick={() => mutation.mutate()} aria-label={`Publish ${survey.name}`}>
      Publish
    </Button>
  );
}

export function SurveysPage() {
  usePageTitle('Surveys');
  const { user } = useSession();
  const canManage = canManageSurveys(user?.role);
  const [creating, setCreating] = useState(false);
  const [inviting, setInviting] = useState<Survey | null>(null);
  const query = useQuery({ queryKey: surveysQueryKey, queryFn: ({ signal }) => fetchSurveys(signal) });
  const surveys = query.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Surveys"
        description="Care and trust surveys: how far customers and advisers feel we care, and whether they will do more business with us."
        actions={
          <>
            <Button component={Link} to="/surveys/follow-ups" variant="default">
              Follow-ups
            </Button>
            {canManage && (
              <Button component={Link} to="/surveys/new" variant="default">
                Build a survey
              </Button>
            )}
            {canManage && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
                New survey
              </Button>
            )}
          </>
        }
      />
      <QueryState query={query} loadingLabel="Loading surveys">
        {surveys.length === 0 ? (
          <EmptyState
            icon={<IconMessageStar aria-hidden />}
            title="No surveys yet"
            description={canManage ? 'Create one from a template with “New survey”.' : 'Admins and compliance create surveys.'}
          />
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" aria-label="Surveys" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Survey</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Audience</Table.Th>
                  <Table.Th scope="col">Touchpoint</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    Invited
                  </Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    Responded
                  </Table.Th>
                  <Table.Th scope="col">Updated</Table.Th>
                  <Table.Th scope="col">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {surveys.map((survey) => (
                  <Table.Tr key={survey.id}>
                    <Table.Th scope="row">
                      <Anchor component={Link} to={`/surveys/${survey.id}`} fw={600}>
                        {survey.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        Version {survey.version}
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      <Badge variant="light" color={statusColors[survey.status]}>
                        {statusLabels[survey.status] ?? survey.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{audienceLabels[survey.audience] ?? survey.audience}</Table.Td>
                    <Table.Td>{touchpointLabels[survey.touchpoint] ?? survey.touchpoint}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{survey.invited}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      {survey.responded}
                      {survey.invited > 0 && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({Math.round((survey.responded / survey.invited) * 100)}%)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(survey.updatedAt)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {canManage && survey.status === 'draft' && <PublishButton survey={survey} />}
                        {canManage && (
                          <Button size="xs" variant="subtle" component={Link} to={`/surveys/${survey.id}/edit`} aria-label={`Edit ${survey.name}`}>
                            Edit
                          </Button>
                        )}
                        {canManage && survey.status === 'live' && (
                          <Button size="xs" variant="light" onClick={() => setInviting(survey)} aria-label={`Invite people to ${survey.name}`}>
                            Invite
                          </Button>
                        )}
                        {canManage && survey.status === 'live' && <PublicLinkButton survey={survey} />}
                        <Button size="xs" variant="subtle" component={Link} to={`/surveys/${survey.id}`} aria-label={`Results of ${survey.name}`}>
                          Results
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {creating && <NewSurveyModal onClose={() => setCreating(false)} />}
      {inviting && <InviteModal survey={inviting} onClose={() => setInviting(null)} />}
    </>
  );
}
