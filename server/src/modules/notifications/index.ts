export { listNotifications, markNotificationsRead, notify } from './notifications.js';
export { notificationRoutes } from './routes.js';
