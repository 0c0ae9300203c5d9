export { SocketHost, TOPIC_CHANNEL, type TopicMessage } from './host.js';
export { HostedSocket, type SocketEvents } from './socket.js';
export { localEvents } from './local-events.js';
export { resolveSocketOptions, type SocketOptions } from './options.js';
export { isWebSocketHandshake, upgradeHeaderLines } from './handshake.js';
export { ensureCloseEvent } from './close-event.js';
export { addTopic, checkTopic, hasTopic, removeTopic, topicsOf, type TopicList } from './topic-list.js';
