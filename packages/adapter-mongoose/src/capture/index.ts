export { type EventLogPluginOptions, eventLogPlugin } from './plugin';
