import { ActionIcon, Anchor, Badge, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications as toasts } from '@mantine/notifications';
import { IconBell, IconChecks } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { formatRelative, useNow } from '../escalations/relative-time';
import { fetchNotifications, markNotificationRead, notificationsQueryKey, type AppNotification } from './notifications.api';

const REFRESH_MS = 30_000;

function NotificationItem({
  item,
  now,
  onMarkRead,
  onOpenCase,
  marking,
}: {
  item: AppNotification;
  now: number;
  onMarkRead: () => void;
  onOpenCase: () => void;
  marking: boolean;
}) {
  const unread = item.readAt === null;
  return (
    <li
      style={{
        padding: 'var(--mantine-spacing-xs) var(--mantine-spacing-sm)',
        borderRadius: 'var(--mantine-radius-sm)',
        background: unread ? 'var(--mantine-color-indigo-light)' : undefined,
      }}
    >
      <Group gap={6} wrap="nowrap" align="flex-start">
        {unread && (
          <Badge size="xs" variant="filled" mt={3} style={{ flexShrink: 0 }}>
            New
          </Badge>
        )}
        <Text size="sm" fw={unread ? 700 : 500} style={{ overflowWrap: 'anywhere' }}>
          {item.caseId ? (
            <Anchor component={Link} to={`/cases/${item.caseId}`} inherit onClick={onOpenCase}>
              {item.title}
            </Anchor>
          ) : (
            item.title
          )}
        </Text>
      </Group>
      <Text size="xs" lineClamp={3} style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }} title={item.body}>
        {item.body}
      </Text>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
            {formatRelative(item.createdAt, now)}
          </time>
        </Text>
        {unread && (
          <Button size="compact-xs" variant="subtle" onClick={onMarkRead} loading={marking} aria-label={`Mark “${item.title}” as read`}>
            Mark read
          </Button>
        )}
      </Group>
    </li>
  );
}

/** The header bell: unread count (polled), and the latest notifications in a popover. */
export function NotificationsBell() {
  const queryClient = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure(false);
  const now = useNow();

  const query = useQuery({
    queryKey: notificationsQueryKey,
    queryFn: ({ signal }) => fetchNotifications(signal),
    refetchInterval: REFRESH_MS,
    staleTime: 10_000,
  });
  const unread = query.data?.unread ?? 0;
  const items = query.data?.items ?? [];

  const markRead = useMutation({
    mutationFn: (id: string | 'all') => markNotificationRead(id),
    onSuccess: (_, id) => {
      // Show the change at once; the refetch confirms the count.
      queryClient.setQueryData(notificationsQueryKey, (current: typeof query.data) =>
        current
          ? {
              unread: id === 'all' ? 0 : Math.max(0, current.unread - 1),
              items: current.items.map((n) => (id === 'all' || n.id === id ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n)),
            }
          : current,
      );
      void queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
    },
    onError: (error) =>
      toasts.show({ color: 'red', title: 'Could not mark as read', message: error instanceof Error ? error.message : 'Something went wrong.' }),
  });

  const label = query.data ? `Notifications, ${unread} unread` : 'Notifications';

  return (
    <Popover opened={opened} onChange={(value) => (value ? undefined : close())} position="bottom-end" width={380} shadow="md" trapFocus returnFocus withinPortal>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} onClick={toggle}>
          <Indicator label={unread > 99 ? '99+' : unread} disabled={unread === 0} size={16} offset={2} color="red">
            <IconBell size={22} aria-hidden />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown aria-label="Notifications" p="xs" maw="calc(100vw - 16px)">
        <Group justify="space-between" px="xs" pb="xs">
          <Text fw={700} component="h2" size="md" m={0}>
            Notifications
          </Text>
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconChecks size={14} aria-hidden />}
            loading={markRead.isPending && markRead.variables === 'all'}
            onClick={() => markRead.mutate('all')}
          >
            Mark all read
          </Button>
        </Group>
        <Divider />
        {query.isPending ? (
          <Text size="sm" p="sm" role="status">
            Loading notifications…
          </Text>
        ) : query.isError && !query.data ? (
          <div style={{ padding: 'var(--mantine-spacing-xs)' }}>
            <ErrorState error={query.error} onRetry={query.refetch} />
          </div>
        ) : items.length === 0 ? (
          <Text size="sm" p="sm" c="dimmed">
            Nothing yet. Escalations, hand-offs and deadline warnings addressed to you appear here.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420} type="auto">
            <Stack component="ul" gap={4} aria-label={`${unread} unread of ${items.length} shown`} style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
              {items.map((item) => (
                <NotificationItem
                  key={item.id}
                  item={item}
                  now={now}
                  marking={markRead.isPending && markRead.variables === item.id}
                  onMarkRead={() => markRead.mutate(item.id)}
                  onOpenCase={() => {
                    if (item.readAt === null) markRead.mutate(item.id);
                    close();
                  }}
                />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Divider />
        <Group justify="space-between" px="xs" pt="xs">
          <Anchor component={Link} to="/escalations" size="sm" onClick={close}>
            Escalations queue
          </Anchor>
          <Anchor component={Link} to="/settings/notifications" size="sm" onClick={close}>
            E-mail settings
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
