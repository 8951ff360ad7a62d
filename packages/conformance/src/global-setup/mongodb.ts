// Placeholder: the MongoDB-wire global setup (jongodb, or EVENTLOG_MONGODB_URL) is written
// with the mongoose adapter.
export default function setup(): void {}
