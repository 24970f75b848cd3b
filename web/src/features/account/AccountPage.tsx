import { Button, Card, EmptyState, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatNumber } from '../../lib/format';
import { roleLabels } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { CreateTokenForm } from './CreateTokenForm';
import { RevokeTokenModal } from './RevokeTokenModal';
import { fetchMyTokens, myTokensQueryKey, type ApiToken } from './tokens.api';

function Profile() {
  const { user, organisation } = useSession();
  const rows: [string, string][] = [
    ['Name', user.name],
    ['Email', user.email],
    ['Role', roleLabels[user.role]],
    ['Unit', user.unitName],
    ['Organisation', organisation.name],
    ['Discretion limit', user.discretionLimit === null ? 'None' : formatNumber(user.discretionLimit)],
  ];
  return (
    <Card withBorder mb="xl" component="section" aria-labelledby="profile-heading">
      <Title order={2} size="h4" id="profile-heading" mb="sm">
        Profile
      </Title>
      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: 0 }}>
        {rows.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <Text component="dt" size="sm" c="dimmed">
              {term}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {value}
            </Text>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function TokenTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" aria-label="API tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Starts with</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Last used</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id}>
              <Table.Th scope="row" fw={500}>
                {token.name}
              </Table.Th>
              <Table.Td>
                <code>{token.prefix}…</code>
              </Table.Td>
              <Table.Td>
                <time dateTime={token.createdAt}>{formatDateTime(token.createdAt)}</time>
              </Table.Td>
              <Table.Td>
                {token.lastUsedAt ? <time dateTime={token.lastUsedAt}>{formatDateTime(token.lastUsedAt)}</time> : 'Never'}
              </Table.Td>
              <Table.Td>
                <StatusBadge positive={!token.revokedAt} label={token.revokedAt ? 'Revoked' : 'Active'} />
              </Table.Td>
              <Table.Td>
                {!token.revokedAt && (
                  <Button size="xs" variant="default" color="red" aria-label={`Revoke ${token.name}`} onClick={() => onRevoke(token)}>
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function AccountPage() {
  usePageTitle('Account');
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const query = useQuery({ queryKey: myTokensQueryKey, queryFn: ({ signal }) => fetchMyTokens(signal) });
  const tokens = query.data?.items ?? [];

  return (
    <>
      <PageHeader title="Account" />
      <Profile />

      <section aria-labelledby="tokens-heading">
        <Title order={2} size="h4" id="tokens-heading">
          API tokens
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          A token lets a script or integration call the TrustDesk API as you (header <code>Authorization: Bearer …</code>).
        </Text>
        <CreateTokenForm />
        <div style={{ marginTop: 'var(--mantine-spacing-lg)' }}>
          <QueryState query={query} loadingLabel="Loading API tokens">
            {tokens.length === 0 ? (
              <EmptyState icon={<IconKey aria-hidden />} title="No API tokens" description="Tokens you create appear here." />
            ) : (
              <TokenTable tokens={tokens} onRevoke={setRevoking} />
            )}
          </QueryState>
        </div>
      </section>

      {revoking && <RevokeTokenModal token={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}
