export { createLocalBus, createPostgresBus, type LiveBus, type LiveEvent } from './bus.js';
export { createLiveHub, type LiveHub } from './hub.js';
export { createLivePublisher, type LivePublisher } from './publisher.js';
export { liveRoutes } from './routes.js';
