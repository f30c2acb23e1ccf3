export { pushKindOf } from './kinds.js';
export { pushRoutes } from './routes.js';
export { createPushSender, type PushSender } from './sender.js';
export { workspaceVapidKeys } from './vapid.js';
