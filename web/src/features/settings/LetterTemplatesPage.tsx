import { Alert, Badge, Box, Button, Card, Code, Group, List, Modal, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconPencil } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { applyApiError, focusFirstError } from '../../lib/form-errors';
import { hasRole } from '../../lib/roles';
import type { Role } from '../../lib/types';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import {
  caseFields, fetchLetterTemplates, fieldsIn, letterFieldLabel, letterFieldSources, letterKindDescriptions, letterKindLabels,
  letterPolicyLabels, letterTemplatesQueryKey, saveLetterTemplate, senderFields, type LetterTemplate,
} from '../cases/letters.api';
import { useReturnFocus } from '../cases/use-return-focus';

/** PUT /letter-templates/:kind is for these roles; leads and executives read the wording. */
const letterEditorRoles: readonly Role[] = ['admin', 'compliance'];

const monospace = { fontFamily: 'var(--mantine-font-family-monospace)' };

/** The fields a letter of this kind can use: from the case, and what its sender writes. */
const availableFields = (template: LetterTemplate) => [...new Set([...caseFields, ...senderFields[template.kind]])];

function TemplateCard({ template, canEdit, onEdit }: { template: LetterTemplate; canEdit: boolean; onEdit: () => void }) {
  const name = letterKindLabels[template.kind] ?? template.kind;
  const headingId = `letter-${template.kind}`;
  return (
    <Card withBorder padding="lg" component="article" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <div>
          <Title order={2} size="h4" id={headingId}>
            {name}
          </Title>
          <Text size="xs" c="dimmed">
            Policy: {letterPolicyLabels[template.policy] ?? template.policy}
          </Text>
        </div>
        <Badge variant="light" color={template.custom ? 'indigo' : 'gray'} style={{ minWidth: 'max-content' }}>
          {template.custom ? 'Your wording' : 'Default wording'}
        </Badge>
      </Group>
      <Text size="sm" mb="sm">
        {letterKindDescriptions[template.kind]}
      </Text>
      <Stack gap="xs">
        <div>
          <Text size="sm" fw={600} mb={4}>
            Subject
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {template.subject}
          </Code>
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Body
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {template.body}
          </Code>
        </div>
        {template.optional.length > 0 && (
          <Text size="xs" c="dimmed">
            May be left empty (its line is then left out): {template.optional.map((field) => `{{${field}}}`).join(', ')}.
          </Text>
        )}
      </Stack>
      {canEdit && (
        <Group gap="xs" mt="md">
          <Button size="xs" variant="default" leftSection={<IconPencil size={14} aria-hidden />} aria-label={`Edit ${name}`} onClick={onEdit}>
            Edit
          </Button>
        </Group>
      )}
    </Card>
  );
}

function EditTemplateModal({ template, onClose }: { template: LetterTemplate; onClose: () => void }) {
  const queryClient = useQueryClient();
  const name = letterKindLabels[template.kind] ?? template.kind;
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { subject: template.subject, body: template.body },
    validate: {
      subject: (value) => (value.trim() ? null : 'Enter the subject'),
      body: (value) => (value.trim() ? null : 'Write the letter'),
    },
  });
  const mutation = useMutation({
    mutationFn: (values: { subject: string; body: string }) => saveLetterTemplate(template.kind, values),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: letterTemplatesQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['letter-preview'] }),
      ]);
      notifications.show({ color: 'teal', message: `Wording of the ${name.toLowerCase()} letter saved` });
      onClose();
    },
    onError: (failure) => setError(applyApiError(form, failure, ['subject', 'body'])),
  });

  const fields = availableFields(template);
  // A field the case does not fill is asked of whoever sends the letter: usually a typo.
  const unknown = fieldsIn(`${form.values.subject}\n${form.values.body}`).filter((field) => !fields.includes(field));

  return (
    <Modal opened onClose={onClose} title={`Edit the ${name.toLowerCase()} letter`} size="xl">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setError(null);
          mutation.mutate({ subject: values.subject.trim(), body: values.body.trim() });
        }, focusFirstError(form))}
      >
        <Stack gap="sm">
          {error && (
            <Alert color="red" title="The wording was not saved" role="alert">
              {error}
            </Alert>
          )}
          <Text size="sm" c="dimmed">
            Letters already sent keep their wording. Write {'{{'}field{'}}'} where the letter should say something from the case.
          </Text>
          <TextInput label="Subject" required maxLength={300} data-autofocus styles={{ input: monospace }} {...form.getInputProps('subject')} />
          <Textarea
            label="Body"
            required
            autosize
            minRows={10}
            maxRows={28}
            maxLength={50_000}
            styles={{ input: monospace }}
            {...form.getInputProps('body')}
          />
          {unknown.length > 0 && (
            <Alert color="yellow" icon={<IconInfoCircle aria-hidden />} role="note">
              TrustDesk does not fill {unknown.map((field) => `{{${field}}}`).join(', ')}: whoever sends the letter will be asked to write it.
              Check the spelling against the list below.
            </Alert>
          )}
          <Box component="section" aria-labelledby="letter-fields-heading">
            <Title order={3} size="h5" id="letter-fields-heading" mb={4}>
              Fields you can use
            </Title>
            <List size="sm" spacing={2}>
              {fields.map((field) => (
                <List.Item key={field}>
                  <Code>{`{{${field}}}`}</Code> {letterFieldLabel(field)}: {letterFieldSources[field] ?? 'from the case'}
                  {template.optional.includes(field) && ' (may be empty: its line is left out)'}
                </List.Item>
              ))}
            </List>
          </Box>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Save wording
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function LetterTemplatesPage() {
  usePageTitle('Letters');
  const { user } = useSession();
  const canEdit = hasRole(user.role, letterEditorRoles);
  const [editing, setEditing] = useState<LetterTemplate | null>(null);
  const focus = useReturnFocus();
  const query = useQuery({ queryKey: letterTemplatesQueryKey, queryFn: ({ signal }) => fetchLetterTemplates(signal) });

  return (
    <>
      <PageHeader
        title="Letters"
        description="The letters sent to customers under the FCA complaint rules (DISP 1.6): acknowledgement, summary resolution, holding response and final response. Fields in {{double braces}} are filled from the case or by the person sending the letter; a letter with one left unfilled cannot be sent."
      />
      {!canEdit && (
        <Text size="sm" c="dimmed" mb="md">
          Admins and compliance change the wording; you can read it.
        </Text>
      )}
      <QueryState query={query} loadingLabel="Loading letters">
        <Stack gap="md">
          {(query.data?.items ?? []).map((template) => (
            <TemplateCard
              key={template.kind}
              template={template}
              canEdit={canEdit}
              onEdit={() => {
                focus.remember();
                setEditing(template);
              }}
            />
          ))}
        </Stack>
      </QueryState>
      {editing && (
        <EditTemplateModal
          key={editing.kind}
          template={editing}
          onClose={() => {
            setEditing(null);
            focus.restore();
          }}
        />
      )}
    </>
  );
}
