/** The event bus on the runner's side: CloudEvents in (HTTP binding, gRPC), publishing, sinks. */
export { checkCloudEvent } from './cloudevent.ts';
export type { CheckedEvent, EventProblem, EventProblemCode } from './cloudevent.ts';
export { parseHttpEvents } from './http-binding.ts';
export { createEventBus } from './publisher.ts';
export type { EventBus } from './publisher.ts';
export { eventsRoute } from './route.ts';
export { fromProtobuf } from './protobuf-format.ts';
