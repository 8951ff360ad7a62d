/** The standard actions. Any other string is a valid action too. */
export const EventLogAction = {
  CREATE: 'create',
  UPDATE: 'update',
  DELETE: 'delete',
} as const;

/** `'create' | 'update' | 'delete'`, or any custom string (autocomplete keeps the three). */
export type EventLogAction =
  | (typeof EventLogAction)[keyof typeof EventLogAction]
  | (string & Record<never, never>);
