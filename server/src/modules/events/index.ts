export {
  defineSubscriber,
  type EventName,
  type EventPayload,
  type EventSubscriber,
  eventJobHandlers,
  type MessageReceivedEvent,
  messageReceivedEvent,
  publishEvent,
  publishEvents,
} from './events.js';
