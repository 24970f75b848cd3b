import type { ReactNode } from 'react';
import { NotAllowed } from '../components/NotAllowed';
import { useSession } from '../features/auth/session';
import { hasRole } from '../lib/roles';
import type { Role } from '../lib/types';
import { usePageTitle } from '../lib/use-page-title';

function NotAllowedPage() {
  usePageTitle('Not allowed');
  return <NotAllowed />;
}

/** The UI hides what a role cannot use; the API still decides (and answers 403). */
export function RequireRole({ roles, children }: { roles: readonly Role[] | 'all'; children: ReactNode }) {
  const { user } = useSession();
  return hasRole(user.role, roles) ? <>{children}</> : <NotAllowedPage />;
}
