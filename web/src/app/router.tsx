import type { ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AccountPage } from '../features/account/AccountPage';
import { UnitsPage } from '../features/admin/units/UnitsPage';
import { UsersPage } from '../features/admin/users/UsersPage';
import { LoginPage } from '../features/auth/LoginPage';
import { RequireAuth } from '../features/auth/RequireAuth';
import { HomePage } from '../features/home/HomePage';
import { AppLayout } from './AppLayout';
import { rolesForPath } from './nav';
import { NotFoundPage } from './NotFoundPage';
import { RequireRole } from './RequireRole';

/** A page guarded by the roles its nav entry lists, so the navbar and the guard never disagree. */
const guarded = (path: string, element: ReactNode) => ({
  path,
  element: <RequireRole roles={rolesForPath(path)}>{element}</RequireRole>,
});

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      guarded('/admin/units', <UnitsPage />),
      guarded('/admin/users', <UsersPage />),
      guarded('/account', <AccountPage />),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
