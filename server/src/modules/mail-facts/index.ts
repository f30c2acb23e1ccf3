/**
 * Facts of each incoming mail stored after ingest (decision 0031): category (person or which
 * machine), language, sender country; publishes `message.classified` for rules and auto-replies.
 */
export { classifyStoredMessage, type MailFactsDeps, mailFactsSubscriber } from './classify-stored.js';
