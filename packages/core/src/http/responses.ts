import { ValidationError } from '../errors';
import type { HttpResponse } from './types';

/** One problem with one query parameter, as the 400 body lists it. */
export interface HttpIssue {
  param: string;
  message: string;
}

/** Body of every error response. */
export interface HttpErrorBody {
  error: { code: string; message: string; issues?: HttpIssue[] };
}

// Audit data is personal data: no shared cache may keep it.
const NO_STORE = { 'cache-control': 'no-store' };

/** A 200 with a JSON body. */
export function ok(body: unknown): HttpResponse {
  return { status: 200, body, headers: NO_STORE };
}

function errorResponse(
  status: number,
  code: string,
  message: string,
  issues?: HttpIssue[],
): HttpResponse {
  const body: HttpErrorBody = { error: { code, message, ...(issues && { issues }) } };
  return { status, body, headers: NO_STORE };
}

const EXPORT_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv' } as const;

/** A 200 streaming an export as a download named `eventlog-<UTC date>.<format>`. */
export function exportResponse(
  format: keyof typeof EXPORT_TYPES,
  stream: AsyncIterable<string>,
): HttpResponse {
  const day = new Date().toISOString().slice(0, 10);
  return {
    status: 200,
    body: null,
    stream,
    headers: {
      ...NO_STORE,
      'content-type': `${EXPORT_TYPES[format]}; charset=utf-8`,
      'content-disposition': `attachment; filename="eventlog-${day}.${format}"`,
      'x-content-type-options': 'nosniff',
    },
  };
}

/** 400 from a `ValidationError`, each issue naming the parameter via `paramOf`. */
export function badRequest(
  error: ValidationError,
  paramOf: (field: string | number | undefined) => string,
): HttpResponse {
  const issues = error.issues.map((i) => ({ param: paramOf(i.path[0]), message: i.message }));
  const first = issues[0];
  const message = first ? `Invalid parameter ${first.param}: ${first.message}` : error.message;
  return errorResponse(400, 'VALIDATION_ERROR', message, issues);
}

/** 403: `authorize` said no. */
export const forbidden = (): HttpResponse =>
  errorResponse(403, 'FORBIDDEN', 'You may not read this event log.');

/** 404: no such entry, or one outside the caller's scope (indistinguishable on purpose). */
export const notFound = (): HttpResponse =>
  errorResponse(404, 'NOT_FOUND', 'No such event log entry.');

/** 500 with a body that reveals nothing about the failure. */
export const internalError = (): HttpResponse =>
  errorResponse(500, 'INTERNAL_ERROR', 'The event log could not be read.');

/** Whether `error` is a client error the handlers answer with 400. */
export const isValidationError = (error: unknown): error is ValidationError =>
  error instanceof ValidationError;
