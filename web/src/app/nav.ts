import {
  IconBook2,
  IconBuildingCommunity,
  IconHome,
  IconKey,
  IconUsers,
  type TablerIcon,
} from '@tabler/icons-react';
import { hasRole, orgViewerRoles } from '../lib/roles';
import type { Role } from '../lib/types';

/**
 * The one list of places in the staff app. The navbar, the home page cards and the route guards
 * all read it, so a new feature (Cases, Inbox, Escalations…) is one entry here plus its route.
 */
export interface NavItem {
  label: string;
  /** In-app path, or an absolute server path when `external` is set. */
  to: string;
  icon: TablerIcon;
  roles: readonly Role[] | 'all';
  /**
   * Home page card: its own title (worded unlike the nav label, so `getByRole('link', { name })`
   * finds one link per name on the home page too) and a description. No card: no entry here.
   */
  card?: { title: string; description: string };
  /** Opens in a new tab (server pages such as the API reference). */
  external?: boolean;
  /** Kept out of the navbar (e.g. reached from the user menu instead). */
  hideInNav?: boolean;
}

export const navItems: readonly NavItem[] = [
  { label: 'Home', to: '/', icon: IconHome, roles: 'all' },
  {
    label: 'Units',
    to: '/admin/units',
    icon: IconBuildingCommunity,
    roles: orgViewerRoles,
    card: { title: 'Organisation tree', description: 'Companies, divisions, regions and teams, with their leads.' },
  },
  {
    label: 'Users',
    to: '/admin/users',
    icon: IconUsers,
    roles: orgViewerRoles,
    card: { title: 'People and roles', description: 'Who works here: roles, units and discretion limits.' },
  },
  {
    label: 'Account',
    to: '/account',
    icon: IconKey,
    roles: 'all',
    card: { title: 'Your profile and API tokens', description: 'See your details and manage the tokens your scripts use.' },
  },
  {
    label: 'API reference',
    to: '/api/docs',
    icon: IconBook2,
    roles: 'all',
    external: true,
    card: { title: 'REST documentation', description: 'Every endpoint of the API, with request and response shapes.' },
  },
];

export const navItemsFor = (role: Role): NavItem[] => navItems.filter((item) => hasRole(role, item.roles));

/** Roles allowed on an in-app path, from the same list (unknown paths: everyone). */
export function rolesForPath(path: string): NavItem['roles'] {
  return navItems.find((item) => !item.external && item.to === path)?.roles ?? 'all';
}
