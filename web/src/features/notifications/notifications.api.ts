import { api } from '../../lib/api';

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  caseId: string | null;
  escalationId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** GET /notifications: the newest 100 and the unread count over all. */
export interface NotificationList {
  unread: number;
  items: AppNotification[];
}

export const notificationsQueryKey = ['notifications'] as const;

export const fetchNotifications = (signal?: AbortSignal) => api.get<NotificationList>('/api/v1/notifications', undefined, signal);

export const markNotificationRead = (id: string | 'all') =>
  api.post<void>(`/api/v1/notifications/${encodeURIComponent(id)}/read`);
