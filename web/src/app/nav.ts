import {
  IconAdjustments,
  IconBell,
  IconBook2,
  IconBuildingCommunity,
  IconBulb,
  IconChecklist,
  IconClipboardCheck,
  IconClock,
  IconGauge,
  IconHome,
  IconKey,
  IconLadder,
  IconListCheck,
  IconMailbox,
  IconMessageStar,
  IconPhoneCall,
  IconScale,
  IconTargetArrow,
  IconShieldLock,
  IconUrgent,
  IconUsers,
  type TablerIcon,
} from '@tabler/icons-react';
import { IconArrowsExchange, IconChartBar, IconFileImport, IconFileSpreadsheet, IconFolders, IconInbox, IconPlus, IconReportAnalytics } from '@tabler/icons-react';
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
  // Cases: inbox, list, case page, transfers, new case, import (features/cases).
  {
    label: 'Inbox',
    to: '/inbox',
    icon: IconInbox,
    roles: ['admin', 'compliance', 'lead', 'agent'],
    card: { title: 'Your cases, nearest deadline first', description: 'Everything you own and are accountable for, with its next deadline.' },
  },
  {
    label: 'Cases',
    to: '/cases',
    icon: IconFolders,
    roles: 'all',
    card: { title: 'Find any case', description: 'Filter and search every case you can see, and export the list as CSV.' },
  },
  {
    label: 'Transfers',
    to: '/transfers',
    icon: IconArrowsExchange,
    roles: ['admin', 'compliance', 'lead', 'agent'],
    card: { title: 'Cases offered to you', description: 'Hand-overs waiting for your answer: accept to own the case, or decline with a reason.' },
  },
  // Reached from the "New case" button on the inbox and the cases page.
  { label: 'New case', to: '/cases/new', icon: IconPlus, roles: ['admin', 'compliance', 'lead', 'agent'], hideInNav: true },
  {
    label: 'Import',
    to: '/cases/import',
    icon: IconFileImport,
    roles: ['admin', 'compliance', 'lead'],
    card: { title: 'Bring in cases from a file', description: 'Import complaints from a CSV file, such as the US CFPB export, with a column mapping.' },
  },
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
  // Escalations, lessons, decisions and their settings (features/escalations, features/settings).
  {
    label: 'Escalations',
    to: '/escalations',
    icon: IconUrgent,
    roles: 'all',
    card: { title: 'Escalated to you', description: 'What is stuck or late and addressed to you: acknowledge it, resolve it, record the lesson.' },
  },
  {
    label: 'Lessons',
    to: '/lessons',
    icon: IconBulb,
    roles: orgViewerRoles,
    card: { title: 'Improvement backlog', description: 'Root causes and process changes from every escalated exception.' },
  },
  {
    label: 'Decisions',
    to: '/decisions',
    icon: IconScale,
    roles: orgViewerRoles,
    card: { title: 'Refunds, waivers and approvals', description: 'Discretion used across the organisation, with totals by kind and state.' },
  },
  // Conduct improvement: status score, cells, review, actions, practice catalogue (features/conduct).
  {
    label: 'Conduct status',
    to: '/conduct/status',
    icon: IconGauge,
    roles: 'all',
    card: { title: 'Where conduct is weak', description: 'The company status score with every red cell, drill-down to the unit and its evidence, and the trend.' },
  },
  {
    label: 'Conduct assessments',
    to: '/conduct/assessments',
    icon: IconChecklist,
    roles: 'all',
    card: { title: 'Self-assess your practices', description: 'Score each practice for your units with a rationale and evidence, and follow the review.' },
  },
  {
    label: 'Conduct review',
    to: '/conduct/review',
    icon: IconClipboardCheck,
    roles: ['admin', 'compliance'],
    card: { title: 'Self-assessments to review', description: 'Approve, return with comments, or override a score; the self-versus-reviewer gap is kept.' },
  },
  {
    label: 'Conduct actions',
    to: '/conduct/actions',
    icon: IconListCheck,
    roles: 'all',
    card: { title: 'Improvement actions', description: 'Your actions and the overdue ones, with deadlines; mark them done with evidence.' },
  },
  {
    label: 'Practices',
    to: '/conduct/practices',
    icon: IconTargetArrow,
    roles: 'all',
    card: { title: 'Practice catalogue and cycles', description: 'Frameworks, outcomes and practices with what good looks like; open and close assessment cycles.' },
  },
  {
    label: 'Conduct settings',
    to: '/conduct/settings',
    icon: IconAdjustments,
    roles: ['admin', 'compliance'],
    card: { title: 'Reminders and escalation', description: 'When action reminders go out, when overdue actions escalate, and which complaints relate to which practice.' },
  },
  // Reached from links on the conduct pages.
  { label: 'Assessment', to: '/conduct/assessments/:id', icon: IconChecklist, roles: 'all', hideInNav: true },
  { label: 'Action', to: '/conduct/actions/:id', icon: IconListCheck, roles: 'all', hideInNav: true },
  { label: 'Practice', to: '/conduct/practices/:id', icon: IconTargetArrow, roles: 'all', hideInNav: true },
  // Care and trust surveys, their results and the closed-loop follow-ups (features/surveys).
  {
    label: 'Surveys',
    to: '/surveys',
    icon: IconMessageStar,
    roles: orgViewerRoles,
    card: { title: 'Care and trust surveys', description: 'Ask customers and advisers how far they feel cared for, and see what drives more business.' },
  },
  // Reached from a survey's "Results" link.
  { label: 'Survey results', to: '/surveys/:id', icon: IconMessageStar, roles: orgViewerRoles, hideInNav: true },
  // The builder, reached from "New survey" and each survey's "Edit" (admins and compliance).
  { label: 'New survey', to: '/surveys/new', icon: IconMessageStar, roles: ['admin', 'compliance'], hideInNav: true },
  { label: 'Edit survey', to: '/surveys/:id/edit', icon: IconMessageStar, roles: ['admin', 'compliance'], hideInNav: true },
  {
    label: 'Survey follow-ups',
    to: '/surveys/follow-ups',
    icon: IconPhoneCall,
    roles: orgViewerRoles,
    card: { title: 'Low scores to call back', description: 'The closed loop: open follow-up cases from low care scores and detractors, with owner and deadline.' },
  },
  // The executive trust report, complaint insights and the regulatory return (features/reports).
  {
    label: 'Executive report',
    to: '/reports/executive',
    icon: IconReportAnalytics,
    roles: orgViewerRoles,
    card: { title: 'The trust report for the board', description: 'Headline indicators with their trend, commentary, PDF and scheduled e-mail.' },
  },
  {
    label: 'Complaint insights',
    to: '/reports/complaints',
    icon: IconChartBar,
    roles: orgViewerRoles,
    card: { title: 'What complaints are telling us', description: 'Turnaround, clocks, outcomes, weak pockets and emerging issues, each with its cases.' },
  },
  {
    label: 'Complaints return',
    to: '/reports/complaints-return',
    icon: IconFileSpreadsheet,
    roles: ['admin', 'executive', 'compliance'],
    card: { title: 'Regulatory complaints return', description: 'The FCA DISP return and a CFPB-style summary for any period, as CSV.' },
  },
  {
    label: 'Clock policies',
    to: '/settings/clocks',
    icon: IconClock,
    roles: orgViewerRoles,
    card: { title: 'Deadlines and working hours', description: 'The regulatory and internal clocks cases run, which case runs which, and the business calendar.' },
  },
  {
    label: 'Escalation ladders',
    to: '/settings/ladders',
    icon: IconLadder,
    roles: orgViewerRoles,
    card: { title: 'Who a stuck case climbs to', description: 'The people each unit escalates to, in order.' },
  },
  {
    label: 'Letters',
    to: '/settings/letters',
    icon: IconMailbox,
    // Admins and compliance change the wording; leads and executives read it.
    roles: orgViewerRoles,
    card: { title: 'Wording of customer letters', description: 'The acknowledgement, holding and final response letters of the FCA complaint rules, in your own words.' },
  },
  // Retention, legal holds and customer data requests (features/datacare).
  {
    label: 'Data care',
    to: '/settings/data-care',
    icon: IconShieldLock,
    roles: ['admin', 'compliance'],
    card: { title: 'Retention and customer data', description: 'What retention removed and what is kept, and customers\' requests to export or erase their data.' },
  },
  {
    label: 'Notification settings',
    to: '/settings/notifications',
    icon: IconBell,
    roles: 'all',
    // Reached from the bell in the header.
    hideInNav: true,
    card: { title: 'E-mail alerts', description: 'Get notification e-mails at once, as a daily digest, or not at all.' },
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
