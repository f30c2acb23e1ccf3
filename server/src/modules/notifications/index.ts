export {
  type CreatedNotification,
  committedNotifications,
  listNotifications,
  markNotificationsRead,
  notify,
  onNotificationCreated,
} from './notifications.js';
export { notificationRoutes } from './routes.js';
