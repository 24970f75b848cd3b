import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AccountPage } from '../features/account/AccountPage';
import { UnitsPage } from '../features/admin/units/UnitsPage';
import { UsersPage } from '../features/admin/users/UsersPage';
import { CasePage } from '../features/cases/CasePage';
import { CasesPage } from '../features/cases/CasesPage';
import { ImportPage } from '../features/cases/ImportPage';
import { InboxPage } from '../features/cases/InboxPage';
import { NewCasePage } from '../features/cases/NewCasePage';
import { TransfersPage } from '../features/cases/TransfersPage';
import { ActionPage, ActionsPage } from '../features/conduct/ActionsPages';
import { AssessmentPage } from '../features/conduct/AssessmentPage';
import { CataloguePage, PracticePage } from '../features/conduct/CataloguePages';
import { AssessmentsPage, ReviewQueuePage } from '../features/conduct/CellsPages';
import { ConductDashboardPage } from '../features/conduct/ConductDashboardPage';
import { ConductSettingsPage } from '../features/conduct/ConductSettingsPage';
import { DecisionsPage } from '../features/escalations/DecisionsPage';
import { EscalationsPage } from '../features/escalations/EscalationsPage';
import { LessonsPage } from '../features/escalations/LessonsPage';
import { ClockPoliciesPage } from '../features/settings/ClockPoliciesPage';
import { LaddersPage } from '../features/settings/LaddersPage';
import { LetterTemplatesPage } from '../features/settings/LetterTemplatesPage';
import { NotificationSettingsPage } from '../features/settings/NotificationSettingsPage';
import { LoginPage } from '../features/auth/LoginPage';
import { RequireAuth } from '../features/auth/RequireAuth';
import { HomePage } from '../features/home/HomePage';
import { ComplaintPage } from '../features/portal/ComplaintPage';
import { PortalNotFound } from '../features/portal/PortalNotFound';
import { StatusPage } from '../features/portal/StatusPage';
import { ComplaintInsightsPage } from '../features/reports/ComplaintInsightsPage';
import { ComplaintsReturnPage } from '../features/reports/ComplaintsReturnPage';
import { ExecutiveReportPage } from '../features/reports/ExecutiveReportPage';
import { FollowUpsPage } from '../features/surveys/FollowUpsPage';
import { SurveyBuilderPage } from '../features/surveys/SurveyBuilderPage';
import { SurveyResponsePage } from '../features/surveys/SurveyResponsePage';
import { SurveyResultsPage } from '../features/surveys/SurveyResultsPage';
import { SurveysPage } from '../features/surveys/SurveysPage';
import { AppLayout } from './AppLayout';
import { DataCarePage } from '../features/datacare/DataCarePage';
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
  // The customer portal is public: outside RequireAuth, no session, never a redirect to /login.
  { path: '/portal', element: <ComplaintPage /> },
  { path: '/portal/status/:token', element: <StatusPage /> },
  { path: '/portal/*', element: <PortalNotFound /> },
  // A survey invitation's single-use link: public like the portal.
  { path: '/s/:token', element: <SurveyResponsePage /> },
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
      guarded('/inbox', <InboxPage />),
      guarded('/cases', <CasesPage />),
      guarded('/cases/new', <NewCasePage />),
      guarded('/cases/import', <ImportPage />),
      guarded('/cases/:id', <CasePage />),
      guarded('/transfers', <TransfersPage />),
      guarded('/escalations', <EscalationsPage />),
      guarded('/lessons', <LessonsPage />),
      guarded('/decisions', <DecisionsPage />),
      // The status page has its own path so the navbar marks one Conduct entry at a time.
      { path: '/conduct', element: <Navigate to="/conduct/status" replace /> },
      guarded('/conduct/status', <ConductDashboardPage />),
      guarded('/conduct/assessments', <AssessmentsPage />),
      guarded('/conduct/assessments/:id', <AssessmentPage />),
      guarded('/conduct/review', <ReviewQueuePage />),
      guarded('/conduct/actions', <ActionsPage />),
      guarded('/conduct/actions/:id', <ActionPage />),
      guarded('/conduct/practices', <CataloguePage />),
      guarded('/conduct/practices/:id', <PracticePage />),
      guarded('/conduct/settings', <ConductSettingsPage />),
      guarded('/surveys', <SurveysPage />),
      guarded('/surveys/follow-ups', <FollowUpsPage />),
      guarded('/surveys/new', <SurveyBuilderPage />),
      guarded('/surveys/:id/edit', <SurveyBuilderPage />),
      guarded('/surveys/:id', <SurveyResultsPage />),
      guarded('/reports/executive', <ExecutiveReportPage />),
      guarded('/reports/complaints', <ComplaintInsightsPage />),
      guarded('/reports/complaints-return', <ComplaintsReturnPage />),
      guarded('/settings/clocks', <ClockPoliciesPage />),
      guarded('/settings/ladders', <LaddersPage />),
      guarded('/settings/letters', <LetterTemplatesPage />),
      guarded('/settings/notifications', <NotificationSettingsPage />),
      guarded('/settings/data-care', <DataCarePage />),
      guarded('/account', <AccountPage />),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
