export {
  type CreatedNotification,
  committedNotifications,
  listNotifications,
  markNotificationsRead,
  notify,
  notifyOnce,
  onNotificationCreated,
} from './notifications.js';
export { notificationRoutes } from './routes.js';
