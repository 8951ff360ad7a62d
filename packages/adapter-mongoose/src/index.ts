export {
  type EventLogPluginOptions,
  type EventLogStatics,
  eventLogPlugin,
  type RevertEntryOptions,
} from './capture/index';
export {
  type ChainHeadDocument,
  createChainHeadSchema,
  createEventLogSchema,
  type EventLogDocument,
} from './schema';
export {
  type MongooseEventLogStorage,
  type MongooseStorageOptions,
  mongooseStorage,
} from './storage';
