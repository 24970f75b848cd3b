import { Anchor, Card, Group, SimpleGrid, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import { navItemsFor, type NavItem } from '../../app/nav';
import { roleLabels } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';

function PlaceCard({ item, card }: { item: NavItem; card: NonNullable<NavItem['card']> }) {
  // The title is the link: one tab stop per card, and its name is the place's name.
  const title = item.external ? (
    <Anchor href={item.to} target="_blank" rel="noopener noreferrer" fw={600}>
      {card.title}
      <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
      <IconExternalLink size={14} aria-hidden style={{ marginLeft: 4, verticalAlign: 'middle' }} />
    </Anchor>
  ) : (
    <Anchor component={Link} to={item.to} fw={600}>
      {card.title}
    </Anchor>
  );
  return (
    <Card withBorder padding="lg" component="li">
      <Group gap="sm" mb="xs" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" aria-hidden>
          <item.icon size={20} />
        </ThemeIcon>
        <Title order={2} size="h4">
          {title}
        </Title>
      </Group>
      <Text size="sm" c="dimmed">
        {card.description}
      </Text>
    </Card>
  );
}

export function HomePage() {
  usePageTitle('Home');
  const { user, organisation } = useSession();
  const cards = navItemsFor(user.role).flatMap((item) => (item.card ? [{ item, card: item.card }] : []));

  return (
    <>
      <Title order={1} size="h2">
        Welcome, {user.name}
      </Title>
      <Text c="dimmed" mb="xl" data-testid="home-identity">
        You are signed in as <strong>{roleLabels[user.role]}</strong> in <strong>{user.unitName}</strong>
        {/* Head-office staff usually sit in the company unit, named like the organisation. */}
        {user.unitName === organisation.name ? '' : ` at ${organisation.name}`}.
      </Text>
      <SimpleGrid
        component="ul"
        aria-label="What you can do"
        cols={{ base: 1, sm: 2, lg: 3 }}
        spacing="md"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {cards.map(({ item, card }) => (
          <PlaceCard key={item.to} item={item} card={card} />
        ))}
      </SimpleGrid>
    </>
  );
}
