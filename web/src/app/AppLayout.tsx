import { AppShell, Burger, Group, NavLink, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconExternalLink } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession } from '../features/auth/session';
import { NotificationsBell } from '../features/notifications/NotificationsBell';
import classes from './layout.module.css';
import { navItemsFor } from './nav';
import { UserMenu } from './UserMenu';

const isActive = (pathname: string, to: string) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`));

export function AppLayout() {
  const { user } = useSession();
  const location = useLocation();
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);

  // On small screens the navbar covers the page; close it once the user has chosen a place.
  useEffect(closeNav, [location.pathname, closeNav]);

  const items = navItemsFor(user.role).filter((item) => !item.hideInNav);

  return (
    <>
      <a href="#main-content" className={classes.skipLink}>
        Skip to content
      </a>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
        padding="lg"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navOpened}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
                aria-expanded={navOpened}
                aria-controls="main-navigation"
              />
              <Link to="/" className={classes.brand}>
                TrustDesk
              </Link>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <NotificationsBell />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="xs" id="main-navigation" aria-label="Main">
          <ScrollArea type="auto">
            {items.map((item) =>
              item.external ? (
                <NavLink
                  key={item.to}
                  component="a"
                  href={item.to}
                  target="_blank"
                  rel="noopener noreferrer"
                  label={item.label}
                  aria-label={`${item.label} (opens in a new tab)`}
                  leftSection={<item.icon size={18} aria-hidden />}
                  rightSection={<IconExternalLink size={14} aria-hidden />}
                />
              ) : (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={isActive(location.pathname, item.to)}
                  aria-current={isActive(location.pathname, item.to) ? 'page' : undefined}
                  leftSection={<item.icon size={18} aria-hidden />}
                />
              ),
            )}
          </ScrollArea>
        </AppShell.Navbar>

        <AppShell.Main id="main-content" tabIndex={-1} className={classes.main}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </>
  );
}
