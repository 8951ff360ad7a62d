export { type EventLogPluginOptions, eventLogPlugin } from './plugin';
export type { EventLogStatics, RevertEntryOptions } from './revert';
