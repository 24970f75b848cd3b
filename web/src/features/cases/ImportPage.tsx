import {
  Alert, Anchor, Badge, Button, Code, Group, Input, Paper, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconFileImport } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { formatDateTime, formatNumber } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useInvalidateCases } from './case-mutations';
import {
  fetchImport, fetchImportMappings, fetchImports, importFields, importsQueryKey, startImport, type CaseImport, type ColumnMapping,
  type ImportField, type ImportRowError,
} from './cases.api';
import { readCsvHeader } from './csv-header';

const fieldLabels: Record<ImportField, string> = {
  subject: 'Subject',
  description: 'Description',
  customerName: 'Customer name',
  customerEmail: 'Customer e-mail',
  customerPhone: 'Customer phone',
  customerRef: 'Customer reference',
  receivedAt: 'Received at',
  product: 'Product',
  category: 'Category',
  channel: 'Channel',
  kind: 'Kind',
  priority: 'Priority',
  vulnerable: 'Vulnerable',
};

const fieldHints: Partial<Record<ImportField, string>> = {
  receivedAt: 'YYYY-MM-DD or ISO 8601; empty column: now',
  category: 'Must be one of the organisation’s categories',
  channel: 'web, email, phone, letter, social, api or branch',
  kind: 'complaint, request or follow_up',
  priority: 'low, normal, high or urgent',
  vulnerable: 'true/false, yes/no or 1/0',
};

/** The API needs these three; every other field may stay unmapped. */
const requiredFields: readonly ImportField[] = ['subject', 'description', 'customerName'];

const CUSTOM = 'custom';
const BUILTIN_PREFIX = 'builtin:';
const SAVED_PREFIX = 'saved:';

const squash = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Preselects a column whose name matches the field ("Customer name", "customer_name"…). */
function guessMapping(columns: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const field of importFields) {
    const wanted = [squash(field), squash(fieldLabels[field])];
    const column = columns.find((name) => wanted.includes(squash(name)));
    if (column) mapping[field] = column;
  }
  return mapping;
}

const stateLabels: Record<string, { label: string; color: string }> = {
  importing: { label: 'Importing', color: 'blue' },
  done: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  invalid: { label: 'Rejected', color: 'orange' },
};

function ImportStateBadge({ state }: { state: string }) {
  const known = stateLabels[state] ?? { label: state, color: 'gray' };
  return (
    <Badge variant="light" color={known.color} style={{ minWidth: 'max-content' }}>
      {known.label}
    </Badge>
  );
}

function RowErrorsTable({ errors, label }: { errors: readonly ImportRowError[]; label: string }) {
  return (
    <Table.ScrollContainer minWidth={500} mah={360}>
      <Table aria-label={label} verticalSpacing={4} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Line</Table.Th>
            <Table.Th scope="col">Column</Table.Th>
            <Table.Th scope="col">Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.map((error, index) => (
            <Table.Tr key={`${error.line}-${error.field ?? ''}-${index}`}>
              <Table.Td>{error.line}</Table.Td>
              <Table.Td>{error.field ?? '—'}</Table.Td>
              <Table.Td>{error.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Follows a running import once a second until it is done or failed. */
function ImportProgress({ started }: { started: CaseImport }) {
  const invalidateCases = useInvalidateCases();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: [...importsQueryKey, started.id],
    queryFn: ({ signal }) => fetchImport(started.id, signal),
    initialData: started,
    refetchInterval: (current) => (current.state.data?.state === 'importing' ? 1000 : false),
  });
  const current = query.data;
  const finished = current.state !== 'importing';
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: importsQueryKey, exact: true });
    if (current.state === 'done') void invalidateCases();
  }, [finished, current.state, queryClient, invalidateCases]);

  const percent = current.totalRows > 0 ? Math.round((current.importedRows / current.totalRows) * 100) : 0;
  return (
    <Paper withBorder p="md" role="status" aria-live="polite">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{current.filename}</Text>
          <ImportStateBadge state={current.state} />
        </Group>
        <Progress
          value={percent}
          color={current.state === 'failed' ? 'red' : current.state === 'done' ? 'teal' : undefined}
          animated={!finished}
          aria-label="Import progress"
        />
        <Text size="sm">
          {formatNumber(current.importedRows)} of {formatNumber(current.totalRows)} rows imported ({percent}%)
        </Text>
        {current.state === 'done' && (
          <Alert color="teal" icon={<IconCircleCheck aria-hidden />} title="Import finished">
            {formatNumber(current.importedRows)} cases were imported.{' '}
            <Anchor component={Link} to="/cases?sort=received" size="sm">
              See the cases
            </Anchor>
          </Alert>
        )}
        {current.state === 'failed' && (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="The import stopped" role="alert">
            <Stack gap="xs">
              <Text size="sm">The rows imported before the problem stay imported.</Text>
              {current.errors.length > 0 && <RowErrorsTable errors={current.errors} label="Import problems" />}
            </Stack>
          </Alert>
        )}
        {query.isError && (
          <Text size="sm" c="red.9" role="alert">
            Could not check the progress: {query.error.message}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function RecentImports() {
  const query = useQuery({ queryKey: importsQueryKey, queryFn: ({ signal }) => fetchImports(signal) });
  const items = query.data?.items ?? [];
  return (
    <section aria-labelledby="recent-imports-heading">
      <Title order={2} size="h3" mb="sm" id="recent-imports-heading">
        Recent imports
      </Title>
      <QueryState query={query} loadingLabel="Loading recent imports">
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No imports yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table aria-label="Recent imports" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">File</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    Rows imported
                  </Table.Th>
                  <Table.Th scope="col">Started</Table.Th>
                  <Table.Th scope="col">Finished</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Th scope="row" fw={500}>
                      {item.filename}
                      {item.errors.length > 0 && (
                        <Text size="xs" c="dimmed" fw={400}>
                          {item.errors.length} {item.errors.length === 1 ? 'problem' : 'problems'}: line {item.errors[0]!.line}, {item.errors[0]!.message}
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>
                      <ImportStateBadge state={item.state} />
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      {formatNumber(item.importedRows)} of {formatNumber(item.totalRows)}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.createdAt)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.finishedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </section>
  );
}

export function ImportPage() {
  usePageTitle('Import cases');
  const fileId = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[] | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [mappingChoice, setMappingChoice] = useState<string>(`${BUILTIN_PREFIX}cfpb`);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [saveAs, setSaveAs] = useState('');
  const [checkError, setCheckError] = useState<Record<string, string>>({});
  const [started, setStarted] = useState<CaseImport | null>(null);

  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal) });
  const unitOptions = useMemo(() => (units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name })), [units.data]);
  const depthById = useMemo(() => new Map((units.data?.items ?? []).map((unit) => [unit.id, unit.depth])), [units.data]);
  const mappings = useQuery({ queryKey: [...importsQueryKey, 'mappings'], queryFn: ({ signal }) => fetchImportMappings(signal) });
  const mappingOptions = useMemo(
    () => [
      ...(mappings.data?.items ?? [{ name: 'cfpb', builtin: true, columns: null }]).map((item) =>
        item.builtin
          ? { value: `${BUILTIN_PREFIX}${item.name}`, label: item.name === 'cfpb' ? 'US CFPB complaint export (built in)' : `${item.name} (built in)` }
          : { value: `${SAVED_PREFIX}${item.name}`, label: `Saved: ${item.name}` },
      ),
      { value: CUSTOM, label: 'Custom: I map the columns' },
    ],
    [mappings.data],
  );
  const savedColumns =
    mappingChoice.startsWith(SAVED_PREFIX) ? mappings.data?.items.find((item) => `${SAVED_PREFIX}${item.name}` === mappingChoice)?.columns : null;

  const chooseFile = async (chosen: File | null) => {
    setFile(chosen);
    setStarted(null);
    upload.reset();
    setColumns(null);
    setCheckError((current) => ({ ...current, file: '' }));
    if (!chosen) return;
    try {
      const header = await readCsvHeader(chosen);
      setColumns(header);
      setMapping((current) => (Object.keys(current).length > 0 ? current : guessMapping(header)));
    } catch {
      setColumns([]);
    }
  };

  const upload = useMutation({
    mutationFn: () =>
      startImport({
        file: file!,
        unitId: unitId!,
        mapping:
          mappingChoice === CUSTOM
            ? { columns: mapping, saveAs: saveAs.trim() || undefined }
            : { name: mappingChoice.replace(BUILTIN_PREFIX, '').replace(SAVED_PREFIX, '') },
      }),
    onSuccess: (result) => {
      setStarted(result);
      void queryClient.invalidateQueries({ queryKey: importsQueryKey });
      notifications.show({ color: 'teal', message: `Importing ${formatNumber(result.totalRows)} rows from ${result.filename}` });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: importsQueryKey, exact: true }),
  });

  const rowErrors: ImportRowError[] | null =
    isApiError(upload.error) && upload.error.status === 422 && Array.isArray((upload.error.details as { errors?: unknown } | undefined)?.errors)
      ? (upload.error.details as { errors: ImportRowError[] }).errors
      : null;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!file) problems.file = 'Choose a CSV file';
    if (!unitId) problems.unit = 'Choose the unit the cases belong to';
    if (mappingChoice === CUSTOM) for (const field of requiredFields) if (!mapping[field]) problems[field] = 'Choose the column';
    setCheckError(problems);
    if (Object.keys(problems).length > 0) {
      const first = Object.keys(problems)[0]!;
      document.getElementById(first === 'file' ? fileId : `import-${first}`)?.focus();
      return;
    }
    setStarted(null);
    upload.mutate();
  };

  const columnOptions = columns ?? [];
  const importing = started?.state === 'importing' || upload.isPending;

  return (
    <>
      <PageHeader
        title="Import cases"
        description="Bring in complaints from a CSV file: the US CFPB export, or any file whose columns you map. Every row is checked first; one bad row and nothing is imported."
      />
      <Stack gap="xl" maw={1000}>
        <Paper withBorder p="md" component="form" noValidate onSubmit={submit} aria-label="Import a file">
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Input.Wrapper
                id={fileId}
                label="CSV file"
                description="Up to 50 MB, comma-separated, with a header row."
                required
                error={checkError.file || undefined}
              >
                <input
                  id={fileId}
                  type="file"
                  accept=".csv,text/csv"
                  aria-invalid={Boolean(checkError.file)}
                  onChange={(event) => void chooseFile(event.currentTarget.files?.[0] ?? null)}
                  style={{ display: 'block', marginTop: 6 }}
                />
              </Input.Wrapper>
              <Select
                id="import-unit"
                label="Unit"
                description="The cases are routed to people in this unit."
                required
                searchable
                data={unitOptions}
                nothingFoundMessage="No unit matches"
                renderOption={({ option }) => <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>}
                value={unitId}
                onChange={setUnitId}
                error={checkError.unit || (units.isError ? units.error.message : undefined)}
              />
            </SimpleGrid>
            <Select
              label="Mapping"
              description="How the file's columns become case fields."
              required
              allowDeselect={false}
              data={mappingOptions}
              value={mappingChoice}
              onChange={(value) => setMappingChoice(value ?? `${BUILTIN_PREFIX}cfpb`)}
              maw={480}
            />
            {mappingChoice.startsWith(BUILTIN_PREFIX) && (
              <Text size="sm" c="dimmed">
                Reads the columns of the CFPB complaint database export (Date received, Product, Issue, Consumer complaint narrative, Complaint ID…).
                Answered complaints arrive resolved with their outcome.
              </Text>
            )}
            {savedColumns && (
              <Text size="sm" c="dimmed">
                Uses the columns:{' '}
                {Object.entries(savedColumns)
                  .map(([field, column]) => `${fieldLabels[field as ImportField] ?? field} ← ${column}`)
                  .join('; ')}
                .{' '}
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => {
                    setMapping(savedColumns);
                    setMappingChoice(CUSTOM);
                  }}
                >
                  Change this mapping
                </Anchor>
              </Text>
            )}
            {mappingChoice === CUSTOM && (
              <Stack gap="sm">
                <Title order={2} size="h4">
                  Columns
                </Title>
                {!file ? (
                  <Text size="sm" c="dimmed">
                    Choose the file first: its columns appear here.
                  </Text>
                ) : columns && columns.length === 0 ? (
                  <Text size="sm" c="red.9" role="alert">
                    The file has no header row that could be read.
                  </Text>
                ) : (
                  <>
                    {columns && (
                      <Text size="sm" c="dimmed">
                        The file has {columns.length} columns: {columns.map((name, index) => (
                          <Code key={`${name}-${index}`} mr={4}>
                            {name}
                          </Code>
                        ))}
                      </Text>
                    )}
                    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
                      {importFields.map((field) => (
                        <Select
                          key={field}
                          id={`import-${field}`}
                          label={fieldLabels[field]}
                          description={fieldHints[field]}
                          required={requiredFields.includes(field)}
                          placeholder="Not in the file"
                          clearable={!requiredFields.includes(field)}
                          searchable
                          data={[...new Set([...columnOptions, ...(mapping[field] ? [mapping[field]!] : [])])]}
                          value={mapping[field] ?? null}
                          onChange={(value) =>
                            setMapping((current) => {
                              const next = { ...current };
                              if (value) next[field] = value;
                              else delete next[field];
                              return next;
                            })
                          }
                          error={checkError[field] || undefined}
                        />
                      ))}
                    </SimpleGrid>
                    <TextInput
                      label="Save this mapping as"
                      description="Optional: a name to reuse it for the next file from the same source."
                      maxLength={100}
                      value={saveAs}
                      onChange={(event) => setSaveAs(event.currentTarget.value)}
                      maw={360}
                    />
                  </>
                )}
              </Stack>
            )}

            {upload.isError && (
              <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Nothing was imported." role="alert">
                <Stack gap="xs">
                  <Text size="sm">{upload.error.message}</Text>
                  {rowErrors && rowErrors.length > 0 && <RowErrorsTable errors={rowErrors} label="Problems in the file" />}
                  {rowErrors && <Text size="sm">Fix these rows in the file and import it again.</Text>}
                </Stack>
              </Alert>
            )}

            <Group justify="flex-end">
              <Button type="submit" loading={upload.isPending} disabled={importing} leftSection={<IconFileImport size={16} aria-hidden />}>
                Import
              </Button>
            </Group>
          </Stack>
        </Paper>

        {started && <ImportProgress key={started.id} started={started} />}

        <RecentImports />
      </Stack>
    </>
  );
}
