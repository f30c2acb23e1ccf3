export { type WebhookDeps, webhookJobHandlers } from './deliver.js';
export { emitWebhookEvent, WEBHOOK_DELIVER_JOB, WEBHOOK_MAX_ATTEMPTS, type WebhookData } from './emit.js';
export { webhookRoutes } from './routes.js';
export { signWebhook, verifyWebhookSignature } from './sign.js';
export { webhookSubscribers } from './subscribers.js';
