import { Alert, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../lib/api';
import { fetchStatus, portalKeys, type PortalStatus } from './portal.api';
import { formatLongDate, formatLongDateTime } from './portal-dates';
import { PortalLayout, usePortalTitle } from './PortalLayout';
import { PortalNotFoundContent } from './PortalNotFound';
import { ManagerRequest } from './ManagerRequest';
import { DocumentsSection } from './DocumentsSection';
import { ReplyForm } from './ReplyForm';
import { StageSteps } from './StageSteps';
import classes from './portal.module.css';

/** "We will acknowledge your complaint" + date reads "… by Friday 8 May 2026."; the server's sentence may end in a full stop. */
const withoutFullStop = (sentence: string) => sentence.trim().replace(/[.!]+$/, '');

const commitmentState = (commitment: PortalStatus['commitments'][number]) =>
  commitment.state === 'kept'
    ? 'Kept'
    : commitment.state === 'missed'
      ? 'Not kept — we are sorry'
      : `Due ${formatLongDate(commitment.dueAt)}`;

export function StatusPage() {
  const { token = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const status = useQuery({
    queryKey: portalKeys.status(token),
    queryFn: ({ signal }) => fetchStatus(token, signal),
    // A customer coming back to the tab sees a reply that arrived meanwhile.
    refetchOnWindowFocus: true,
  });

  // The complaint form sends the reference along; it is shown once, then forgotten, so a reload
  // or a bookmark shows the ordinary page.
  const [filedRef] = useState<string | null>(() => (location.state as { filedRef?: string } | null)?.filedRef ?? null);
  const [refusedDocuments] = useState<string[]>(() => (location.state as { refusedDocuments?: string[] } | null)?.refusedDocuments ?? []);
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  const notFound = isApiError(status.error) && status.error.status === 404;
  usePortalTitle(status.data ? `Your complaint ${status.data.ref}` : notFound ? "We can't find this page" : 'Your complaint', status.data?.organisation.name);

  if (status.isPending) {
    return (
      <PortalLayout>
        <Center py="xl">
          <Loader aria-label="Loading your complaint" />
        </Center>
      </PortalLayout>
    );
  }
  if (status.isError && !status.data) {
    if (notFound) {
      return (
        <PortalLayout>
          <PortalNotFoundContent />
        </PortalLayout>
      );
    }
    return (
      <PortalLayout>
        <Stack gap="md">
          <Title order={1} size="h2">
            Your complaint
          </Title>
          <Alert color="red" title="We could not show your complaint just now" role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                {isApiError(status.error) && status.error.status === 0
                  ? status.error.message
                  : 'Sorry, something went wrong on our side. Please try again in a few minutes.'}
              </Text>
              <Button size="xs" variant="white" color="red" onClick={() => status.refetch()}>
                Try again
              </Button>
            </Stack>
          </Alert>
        </Stack>
      </PortalLayout>
    );
  }

  return (
    <PortalLayout organisation={status.data.organisation.name}>
      <StatusContent data={status.data} token={token} filedRef={filedRef} refusedDocuments={refusedDocuments} />
    </PortalLayout>
  );
}

function StatusContent({ data, token, filedRef, refusedDocuments }: { data: PortalStatus; token: string; filedRef: string | null; refusedDocuments: string[] }) {
  const banner = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (filedRef) banner.current?.focus();
  }, [filedRef]);

  const owner = `${data.owner.displayName}, ${data.owner.role}`;

  return (
    <Stack gap="lg">
      {filedRef ? (
        <Paper withBorder p="md" radius="md" bg="green.0" style={{ borderColor: 'var(--mantine-color-green-8)', borderWidth: 2 }}>
          <Title order={1} size="h3" ref={banner} tabIndex={-1} className={classes.focusTarget}>
            We have your complaint. Your reference is <span className={classes.ref}>{data.ref}</span>
          </Title>
          <Text mt="xs">
            We have e-mailed you the reference and a link to this page. Keep the link: it is private to you, and you can
            come back here at any time to see what is happening and to write to us.
          </Text>
          {refusedDocuments.length > 0 && (
            <Alert color="orange" mt="sm" title="Some documents could not be added">
              {refusedDocuments.map((r) => (
                <Text key={r} size="sm">{r}</Text>
              ))}
              <Text size="sm">You can add them again below, under Documents.</Text>
            </Alert>
          )}
        </Paper>
      ) : (
        <div>
          <Title order={1} size="h2">
            Your complaint
          </Title>
          <Text size="lg" mt={4}>
            Your reference is <strong className={classes.ref}>{data.ref}</strong>
          </Text>
        </div>
      )}
      <Text>
        <Text span fw={700}>
          About:
        </Text>{' '}
        {data.subject}
      </Text>

      <Paper
        component="section"
        aria-labelledby="portal-owner-heading"
        withBorder
        p="lg"
        radius="md"
        style={{ borderColor: 'var(--mantine-color-indigo-7)', borderWidth: 2 }}
        data-testid="portal-owner"
      >
        <Title order={2} size="h4" id="portal-owner-heading">
          Who is looking after this
        </Title>
        <Text size="xl" fw={700} mt={4}>
          {owner}
        </Text>
        <Text mt={4}>{data.owner.displayName} is responsible for your complaint and will reply to you here.</Text>
      </Paper>

      <Paper component="section" aria-labelledby="portal-next-heading" withBorder p="lg" radius="md" data-testid="portal-next-step">
        <Title order={2} size="h4" id="portal-next-heading">
          What happens next
        </Title>
        <Text mt={4} size="lg">
          {data.nextStepBy ? (
            <>
              {withoutFullStop(data.nextStep)} by{' '}
              <time dateTime={data.nextStepBy}>{formatLongDate(data.nextStepBy)}</time>.
            </>
          ) : (
            `${withoutFullStop(data.nextStep)}.`
          )}
        </Text>
      </Paper>

      <section aria-labelledby="portal-stage-heading">
        <Title order={2} size="h4" id="portal-stage-heading" mb="xs">
          Where your complaint is
        </Title>
        <StageSteps stage={data.stage} />
      </section>

      <section aria-labelledby="portal-promises-heading">
        <Title order={2} size="h4" id="portal-promises-heading" mb="xs">
          What we promised
        </Title>
        {data.commitments.length === 0 ? (
          <Text>We have not made you any promises with a date yet.</Text>
        ) : (
          <Stack component="ul" gap="xs" className={classes.plainList} aria-label="What we promised">
            {data.commitments.map((commitment, index) => (
              <Paper component="li" key={`${commitment.label}-${index}`} withBorder p="sm" radius="sm">
                <Text fw={600}>{commitment.label}</Text>
                <Text size="sm" c={commitment.state === 'missed' ? 'red.9' : undefined} fw={commitment.state === 'missed' ? 700 : undefined}>
                  {commitmentState(commitment)}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
      </section>

      <section aria-labelledby="portal-messages-heading">
        <Title order={2} size="h4" id="portal-messages-heading" mb="xs">
          Your conversation with us
        </Title>
        {data.messages.length === 0 ? (
          <Text>There are no messages yet. You can write to {data.owner.displayName} below.</Text>
        ) : (
          <ol className={classes.messages} aria-label="Messages">
            {data.messages.map((message) => (
              <li key={message.id} className={classes.message} data-from={message.from}>
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text fw={700}>{message.from === 'you' ? 'You' : (message.authorName ?? data.organisation.name)}</Text>
                  <Text size="sm" c="dimmed">
                    <time dateTime={message.at}>{formatLongDateTime(message.at)}</time>
                  </Text>
                </Group>
                <Text mt={4} className={classes.messageBody}>
                  {message.body}
                </Text>
              </li>
            ))}
          </ol>
        )}
      </section>

      <ReplyForm token={token} ownerName={data.owner.displayName} />

      <DocumentsSection token={token} documents={data.documents ?? []} />

      {data.timeline.length > 0 && (
        <section aria-labelledby="portal-timeline-heading">
          <Title order={2} size="h4" id="portal-timeline-heading" mb="xs">
            What has happened so far
          </Title>
          <ol className={classes.plainList} aria-label="What has happened so far">
            {data.timeline.map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                <Text>
                  <Text span size="sm" c="dimmed">
                    <time dateTime={entry.at}>{formatLongDateTime(entry.at)}</time>:
                  </Text>{' '}
                  {entry.text}
                </Text>
              </li>
            ))}
          </ol>
        </section>
      )}

      <ManagerRequest token={token} requested={data.managerRequested} />
    </Stack>
  );
}
