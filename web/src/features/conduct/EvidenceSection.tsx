import { Alert, Button, CloseButton, FileInput, Group, List, Select, Stack, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { conductKeys, createEvidence, fetchEvidence, uploadEvidenceFile, type Evidence } from './conduct.api';
import { EvidenceLine, EvidenceList } from './conduct-ui';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.txt,.csv';

/**
 * Evidence for a cell or an action: what is attached, and three ways to add more — upload a file,
 * add a link or a note, or reuse evidence the unit already has (one piece can support many cells).
 * `onAttached` receives the new evidence; the owner decides how it is linked (a cell is linked by
 * the server on upload, an action collects ids for "mark done").
 */
export function EvidenceSection({
  unitId,
  attached,
  assessmentId,
  editable,
  onAttach,
  onDetach,
  detaching,
  onApprove,
  approving,
  allowReuse = true,
}: {
  unitId: string;
  attached: Evidence[];
  assessmentId?: string;
  editable: boolean;
  /** Link existing or newly created evidence (by id). */
  onAttach: (evidence: Evidence, created: boolean) => void;
  onDetach?: (evidence: Evidence) => void;
  detaching?: boolean;
  /** Compliance approves draft evidence. */
  onApprove?: (evidence: Evidence) => void;
  approving?: boolean;
  /** Reusing evidence relinks the cell, which only its assessors may do; agents add new evidence. */
  allowReuse?: boolean;
}) {
  if (!editable) return <EvidenceList items={attached} onApprove={onApprove} approving={approving} />;
  return (
    <Stack gap="md">
      {attached.length === 0 ? (
        <Text size="sm" c="dimmed">
          No evidence attached yet.
        </Text>
      ) : (
        <List spacing="xs" listStyleType="none" aria-label="Attached evidence" p={0}>
          {attached.map((evidence) => (
            <List.Item key={evidence.id}>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <EvidenceLine evidence={evidence} onApprove={onApprove} approving={approving} />
                {onDetach && (
                  <CloseButton aria-label={`Remove ${evidence.title} from this cell`} onClick={() => onDetach(evidence)} disabled={detaching} />
                )}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      <Tabs defaultValue="file" keepMounted={false}>
        <Tabs.List aria-label="Add evidence">
          <Tabs.Tab value="file">Upload a file</Tabs.Tab>
          <Tabs.Tab value="link">Add a link</Tabs.Tab>
          <Tabs.Tab value="note">Add a note</Tabs.Tab>
          {allowReuse && <Tabs.Tab value="reuse">Reuse existing evidence</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="file" pt="sm">
          <FileForm unitId={unitId} assessmentId={assessmentId} onDone={(evidence) => onAttach(evidence, true)} />
        </Tabs.Panel>
        <Tabs.Panel value="link" pt="sm">
          <TextEvidenceForm kind="link" unitId={unitId} assessmentId={assessmentId} onDone={(evidence) => onAttach(evidence, true)} />
        </Tabs.Panel>
        <Tabs.Panel value="note" pt="sm">
          <TextEvidenceForm kind="note" unitId={unitId} assessmentId={assessmentId} onDone={(evidence) => onAttach(evidence, true)} />
        </Tabs.Panel>
        {allowReuse && (
          <Tabs.Panel value="reuse" pt="sm">
            <ReuseForm unitId={unitId} attachedIds={attached.map((item) => item.id)} onDone={(evidence) => onAttach(evidence, false)} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}

function FileForm({ unitId, assessmentId, onDone }: { unitId: string; assessmentId?: string; onDone: (evidence: Evidence) => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const upload = useMutation({
    mutationFn: () =>
      uploadEvidenceFile({ file: file!, title: title.trim() || file!.name, unitId, assessmentId, expiresAt: expiresAt ? new Date(`${expiresAt}T00:00:00Z`).toISOString() : undefined }),
    onSuccess: (evidence) => {
      setFile(null);
      setTitle('');
      setExpiresAt('');
      void queryClient.invalidateQueries({ queryKey: conductKeys.evidence });
      notifications.show({ color: 'teal', message: `Uploaded ${evidence.file?.filename ?? evidence.title}` });
      onDone(evidence);
    },
  });
  return (
    <form
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (file) upload.mutate();
      }}
    >
      <Stack gap="xs">
        <FileInput
          label="Evidence file"
          description="PDF, picture, Word, Excel, text or CSV, up to 10 MB"
          placeholder="Choose a file"
          styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
          value={file}
          onChange={(next) => {
            setFile(next);
            if (next && !title) setTitle(next.name.replace(/\.[^.]+$/, ''));
          }}
          accept={ACCEPT}
          clearable
        />
        <Group grow align="flex-start">
          <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <TextInput label="Expires on (optional)" type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.currentTarget.value)} />
        </Group>
        {upload.isError && (
          <Alert color="red" role="alert">
            {(upload.error as Error).message}
          </Alert>
        )}
        <Group>
          <Button type="submit" disabled={!file} loading={upload.isPending}>
            Upload evidence
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TextEvidenceForm({ kind, unitId, assessmentId, onDone }: { kind: 'link' | 'note'; unitId: string; assessmentId?: string; onDone: (evidence: Evidence) => void }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      createEvidence({
        kind,
        title: title.trim(),
        unitId,
        ...(kind === 'link' ? { url: value.trim() } : { note: value.trim() }),
        assessmentIds: assessmentId ? [assessmentId] : undefined,
      }),
    onSuccess: (evidence) => {
      setTitle('');
      setValue('');
      void queryClient.invalidateQueries({ queryKey: conductKeys.evidence });
      onDone(evidence);
    },
    onError: (failure) => setError(failure instanceof Error ? failure.message : 'Could not save'),
  });
  return (
    <form
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        setError(null);
        if (!title.trim() || !value.trim()) {
          setError(kind === 'link' ? 'Give the link a title and an address.' : 'Give the note a title and some text.');
          return;
        }
        if (kind === 'link' && !/^https?:\/\//i.test(value.trim())) {
          setError('The address must start with http:// or https://');
          return;
        }
        save.mutate();
      }}
    >
      <Stack gap="xs">
        <TextInput label={kind === 'link' ? 'Link title' : 'Note title'} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        {kind === 'link' ? (
          <TextInput label="Address (URL)" type="url" placeholder="https://" value={value} onChange={(e) => setValue(e.currentTarget.value)} />
        ) : (
          <Textarea label="Note" autosize minRows={3} value={value} onChange={(e) => setValue(e.currentTarget.value)} />
        )}
        {error && (
          <Text c="red.8" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {kind === 'link' ? 'Add link' : 'Add note'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReuseForm({ unitId, attachedIds, onDone }: { unitId: string; attachedIds: string[]; onDone: (evidence: Evidence) => void }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const query = useQuery({
    queryKey: [...conductKeys.evidence, 'unit', unitId],
    queryFn: ({ signal }) => fetchEvidence({ unitId }, null, signal),
  });
  const options = (query.data?.items ?? []).filter((item) => !attachedIds.includes(item.id) && item.status !== 'expired');
  return (
    <Stack gap="xs">
      <Select
        label="Evidence this unit already has"
        placeholder={query.isPending ? 'Loading…' : options.length ? 'Choose evidence' : 'Nothing else to reuse'}
        searchable
        data={options.map((item) => ({ value: item.id, label: `${item.title}${item.file ? ` (${item.file.filename})` : ` (${item.kind})`}` }))}
        value={chosen}
        onChange={setChosen}
        error={query.isError ? 'Could not load the unit’s evidence' : undefined}
        disabled={options.length === 0}
      />
      <Group>
        <Button
          disabled={!chosen}
          onClick={() => {
            const evidence = options.find((item) => item.id === chosen);
            if (evidence) onDone(evidence);
            setChosen(null);
          }}
        >
          Attach
        </Button>
      </Group>
    </Stack>
  );
}
