export {
  defineSubscriber,
  type EventName,
  type EventPayload,
  type EventSubscriber,
  eventJobHandlers,
  type MessageClassifiedEvent,
  type MessageReceivedEvent,
  messageClassifiedEvent,
  messageReceivedEvent,
  publishEvent,
  publishEvents,
} from './events.js';
