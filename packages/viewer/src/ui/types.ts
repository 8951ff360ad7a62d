/** One entry as the list API renders it (the default JSON format). */
export interface Entry {
  id: string;
  timestamp: string;
  actorId: string | null;
  actorLabel: string | null;
  message: string;
  tool: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  changes: { oldValue: Record<string, unknown>; newValue: Record<string, unknown> } | null;
  metadata?: unknown;
  [key: string]: unknown;
}

/** The list API's page envelope. */
export interface Page {
  results: Entry[];
  next: string | null;
  count?: number;
  /** False when `count` is a lower bound (the server stopped counting there). */
  countExact?: boolean;
}

/** The API's error body. */
export interface ApiError {
  error?: { code?: string; message?: string; issues?: { param: string; message: string }[] };
}
