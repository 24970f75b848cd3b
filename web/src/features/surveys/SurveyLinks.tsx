import { Alert, Button, CopyButton, FileInput, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../lib/api';
import { createPublicLink, type InvitationResult, inviteFromCsv, type Survey, surveysQueryKey } from './surveys.api';

/** Invite the people of a CSV file: one bad row and nobody is invited, with the rows to fix. */
export function CsvInvite({ survey, onResult }: { survey: Survey; onResult: (result: InvitationResult) => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const mutation = useMutation({
    mutationFn: (f: File) => inviteFromCsv(survey.id, f),
    onSuccess: async (result) => {
      setFile(null);
      onResult(result);
      await queryClient.invalidateQueries({ queryKey: surveysQueryKey });
    },
  });
  const problems = isApiError(mutation.error) && Array.isArray(mutation.error.details) ? (mutation.error.details as { path: string; message: string }[]) : [];
  return (
    <Stack gap="xs">
      <Group align="flex-end" wrap="wrap">
        <FileInput
          label="Or invite from a CSV file"
          description="Columns: email (required), name, unit, product, case (a case reference)."
          placeholder="Choose a CSV file"
          styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
          accept=".csv,text/csv"
          clearable
          value={file}
          onChange={setFile}
          style={{ flex: '1 1 16rem' }}
        />
        <Button variant="light" disabled={!file} loading={mutation.isPending} onClick={() => file && mutation.mutate(file)}>
          Invite from file
        </Button>
      </Group>
      {mutation.isError && (
        <Alert color="red" role="alert" title="Nobody was invited">
          <Text size="sm">{mutation.error.message}</Text>
          {problems.length > 0 && (
            <List size="sm">
              {problems.map((p) => (
                <List.Item key={`${p.path}-${p.message}`}>
                  {p.path}: {p.message}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </Stack>
  );
}

/** An anonymous link anyone may answer through (e.g. on a receipt or a website); shown once. */
export function PublicLinkButton({ survey }: { survey: Survey }) {
  const [url, setUrl] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: () => createPublicLink(survey.id), onSuccess: (answer) => setUrl(answer.url) });
  return (
    <>
      <Button size="xs" variant="light" loading={mutation.isPending} onClick={() => mutation.mutate()} aria-label={`Public link for ${survey.name}`}>
        Public link
      </Button>
      {url && (
        <Modal opened onClose={() => setUrl(null)} title={`Public link for ${survey.name}`} size="lg">
          <Stack gap="sm">
            <Text size="sm">
              Anyone with this link can answer, as often as they like (within rate limits), without a name or e-mail address, so a low
              score opens no follow-up. Copy it now: it is not shown again. Making a new link stops this one.
            </Text>
            <TextInput label="Link" value={url} readOnly onFocus={(e) => e.currentTarget.select()} />
            <Group justify="flex-end">
              <CopyButton value={url}>{({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy link'}</Button>}</CopyButton>
            </Group>
          </Stack>
        </Modal>
      )}
      {mutation.isError && <Text size="xs" c="red.8">{mutation.error.message}</Text>}
    </>
  );
}
