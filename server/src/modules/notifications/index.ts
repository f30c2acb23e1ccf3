export { type CreatedNotification, listNotifications, markNotificationsRead, notify, onNotificationCreated } from './notifications.js';
export { notificationRoutes } from './routes.js';
