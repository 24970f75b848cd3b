import { Anchor, Badge, EmptyState, Group, NativeSelect, Select, Spoiler, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBulb } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import type { Role } from '../../lib/types';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { fetchLessons, LIST_LIMIT, lessonsQueryKey, lessonStatuses, updateLesson, type Lesson, type LessonStatus } from './escalations.api';
import { failureTypeLabels, lessonStatusLabels, optionsFrom } from './labels';

/** Executives read the backlog; these roles move lessons through it (as the API allows). */
const lessonEditorRoles: readonly Role[] = ['admin', 'compliance', 'lead'];

const statusColors: Record<LessonStatus, string> = { proposed: 'gray', in_progress: 'blue', done: 'teal', rejected: 'orange' };
const statusOptions = optionsFrom(lessonStatusLabels);

/** Counts per root cause, largest first: where exceptions keep coming from. */
function RootCauseCounts({ lessons }: { lessons: Lesson[] }) {
  const counts = useMemo(() => {
    const byCause = new Map<string, number>();
    for (const lesson of lessons) byCause.set(lesson.rootCause, (byCause.get(lesson.rootCause) ?? 0) + 1);
    return [...byCause.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }, [lessons]);
  if (counts.length === 0) return null;
  return (
    <section aria-labelledby="root-cause-counts" style={{ marginBottom: 'var(--mantine-spacing-lg)' }}>
      <Title order={2} size="h4" id="root-cause-counts" mb="xs">
        By root cause
      </Title>
      <Group component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {counts.map(([cause, count]) => (
          <li key={cause}>
            <Badge variant="light" size="lg" color="indigo" style={{ textTransform: 'none' }}>
              {cause}: {count}
            </Badge>
          </li>
        ))}
      </Group>
    </section>
  );
}

export function LessonsPage() {
  usePageTitle('Lessons');
  const { user } = useSession();
  const canEdit = lessonEditorRoles.includes(user.role);
  const [status, setStatus] = useState<LessonStatus | null>(null);
  const queryClient = useQueryClient();

  const query = useQuery({
    queryKey: [...lessonsQueryKey, { status }],
    queryFn: ({ signal }) => fetchLessons(status, signal),
    placeholderData: keepPreviousData,
  });
  const lessons = query.data?.items ?? [];

  const mutation = useMutation({
    mutationFn: ({ lesson, next }: { lesson: Lesson; next: LessonStatus }) => updateLesson(lesson.id, { status: next }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: lessonsQueryKey });
      notifications.show({ color: 'teal', message: `Lesson from ${saved.caseRef} is now “${lessonStatusLabels[saved.status]}”` });
    },
    onError: (error, { lesson }) =>
      notifications.show({
        color: 'red',
        title: `Could not update the lesson from ${lesson.caseRef}`,
        message: error instanceof Error ? error.message : 'Something went wrong.',
      }),
  });

  return (
    <>
      <PageHeader
        title="Lessons"
        description="The improvement backlog: every escalated exception closes with its root cause and the process change that stops it happening again."
      />
      <Group align="flex-end" gap="sm" mb="md" role="search" aria-label="Filter lessons">
        <Select
          label="Filter by status"
          placeholder="All statuses"
          data={statusOptions}
          clearable
          value={status}
          onChange={(value) => setStatus(value as LessonStatus | null)}
          w={220}
        />
      </Group>

      <QueryState query={query} loadingLabel="Loading lessons">
        {lessons.length === 0 ? (
          <EmptyState
            icon={<IconBulb aria-hidden />}
            title={status ? `No lesson is “${lessonStatusLabels[status]}”` : 'No lessons yet'}
            description={
              status
                ? 'Choose another status or clear the filter.'
                : 'Lessons appear here when escalations are resolved.'
            }
          />
        ) : (
          <>
            <RootCauseCounts lessons={lessons} />
            <Table.ScrollContainer minWidth={1000}>
              <Table verticalSpacing="sm" aria-label="Lessons" aria-busy={query.isFetching} highlightOnHover>
                <Table.Caption>
                  {lessons.length} {lessons.length === 1 ? 'lesson' : 'lessons'} shown
                  {lessons.length >= LIST_LIMIT ? ` (the newest ${LIST_LIMIT}; there may be more)` : ''}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Case</Table.Th>
                    <Table.Th scope="col">Root cause</Table.Th>
                    <Table.Th scope="col">Failure type</Table.Th>
                    <Table.Th scope="col">Process change</Table.Th>
                    <Table.Th scope="col">Unit</Table.Th>
                    <Table.Th scope="col">Owner</Table.Th>
                    <Table.Th scope="col">Recorded</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {lessons.map((lesson) => (
                    <Table.Tr key={lesson.id}>
                      <Table.Th scope="row">
                        <Anchor component={Link} to={`/cases/${lesson.caseId}`} fw={600} style={{ whiteSpace: 'nowrap' }}>
                          {lesson.caseRef}
                        </Anchor>
                      </Table.Th>
                      <Table.Td>{lesson.rootCause}</Table.Td>
                      <Table.Td>{failureTypeLabels[lesson.failureType] ?? lesson.failureType}</Table.Td>
                      <Table.Td style={{ minWidth: 260, maxWidth: 420 }}>
                        <Spoiler maxHeight={66} showLabel="Show more" hideLabel="Show less">
                          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                            {lesson.processChange}
                          </Text>
                        </Spoiler>
                      </Table.Td>
                      <Table.Td>{lesson.unitName}</Table.Td>
                      <Table.Td>{lesson.ownerName}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(lesson.createdAt)}</Table.Td>
                      <Table.Td>
                        {canEdit ? (
                          <NativeSelect
                            aria-label={`Status of the lesson from ${lesson.caseRef}`}
                            data={lessonStatuses.map((value) => ({ value, label: lessonStatusLabels[value] }))}
                            value={lesson.status}
                            disabled={mutation.isPending && mutation.variables?.lesson.id === lesson.id}
                            onChange={(event) =>
                              mutation.mutate({ lesson, next: event.currentTarget.value as LessonStatus })
                            }
                            w={150}
                          />
                        ) : (
                          <Badge variant="light" color={statusColors[lesson.status]} style={{ minWidth: 'max-content' }}>
                            {lessonStatusLabels[lesson.status] ?? lesson.status}
                          </Badge>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </QueryState>
    </>
  );
}
