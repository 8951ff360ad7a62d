import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The names each entry point exports, read by the TypeScript checker from the sources the
// package's `exports` map points at: values as `name`, type-only exports as `type Name`.
// Widening or narrowing the public surface changes a snapshot below, so it is a visible decision.

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { '@eventlog/source': string }>;
};
const entries = Object.fromEntries(
  Object.entries(pkg.exports).flatMap(([subpath, target]) =>
    typeof target === 'string' ? [] : [[subpath, join(coreDir, target['@eventlog/source'])]],
  ),
);

const program = ts.createProgram(Object.values(entries), {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
});
const checker = program.getTypeChecker();

function surface(subpath: string): string[] {
  const file = entries[subpath];
  const source = file === undefined ? undefined : program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`no module for ${subpath}`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.flags & ts.SymbolFlags.Value ? symbol.name : `type ${symbol.name}`;
    })
    .sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, ''), 'en'));
}

describe('public surface of @eventlog/core', () => {
  it('has one entry per reader', () => {
    expect(Object.keys(entries)).toEqual(['.', './storage', './http']);
  });

  it('@eventlog/core (applications)', () => {
    expect(surface('.')).toMatchInlineSnapshot(`
      [
        "type ActorRef",
        "type BrokenLink",
        "type CaptureAction",
        "CaptureError",
        "type CaptureErrorReason",
        "type CaptureOptions",
        "type CaptureTemplate",
        "type Changes",
        "type Checkpoint",
        "type CheckpointOptions",
        "ConfigurationError",
        "ConflictError",
        "createDiffSchema",
        "DEFAULT_COUNT_LIMIT",
        "DEFAULT_MASK",
        "DEFAULT_MAX_DEPTH",
        "DEFAULT_MAX_PAYLOAD_BYTES",
        "DEFAULT_PAGE_SIZE",
        "DEFAULT_SECRET_KEYS",
        "defaultResolveActor",
        "defaultResolveObject",
        "DiffError",
        "type DiffOptions",
        "type EventLog",
        "EventLogAction",
        "type EventLogContext",
        "EventLogError",
        "type EventLogErrorCode",
        "type EventLogPage",
        "type EventLogQuery",
        "EventLogService",
        "type EventLogServiceOptions",
        "getContext",
        "IntegrityError",
        "type IntegrityOptions",
        "type IntegrityPartition",
        "type IntegrityStatus",
        "isEventLogError",
        "isSecretKey",
        "type JsonObject",
        "type KeyInput",
        "type LogInput",
        "type LogManyOptions",
        "type LogOptions",
        "MAX_COUNT_LIMIT",
        "MAX_PAGE_SIZE",
        "memoryStorage",
        "type MemoryStorage",
        "type MemoryTransaction",
        "type MissingPlaceholder",
        "type ObjectRef",
        "type ObjectState",
        "parseCheckpoint",
        "type PartitionResult",
        "type PartitionStatus",
        "redact",
        "type RedactOptions",
        "type RenderedTemplate",
        "type RenderOptions",
        "renderTemplate",
        "type ResolvedActor",
        "type ResolvedObject",
        "RevertConflictError",
        "type RevertPatch",
        "runWithContext",
        "type StateAtOptions",
        "StorageError",
        "TemplateError",
        "TIMESTAMP_RANGE",
        "type UnchainedRows",
        "ValidationError",
        "type ValidationIssue",
        "type VerifyOptions",
        "type VerifyResult",
      ]
    `);
  });

  it('@eventlog/core/storage (storage adapter authors)', () => {
    expect(surface('./storage')).toMatchInlineSnapshot(`
      [
        "type CaptureDiff",
        "type CaptureInputOptions",
        "captureInputs",
        "type CaptureRow",
        "captureSettings",
        "type CaptureSettings",
        "type ChainedEntry",
        "type ChainEntry",
        "type ChainFields",
        "type ChainHead",
        "type ChainInput",
        "type ChainLinker",
        "type ChainPosition",
        "type ChainRange",
        "type ChainStorage",
        "changedKeysOf",
        "contentHash",
        "countLimitOf",
        "cursorInstant",
        "type CutRecorder",
        "decodeCursor",
        "type DeleteFilter",
        "encodeCursor",
        "entryFields",
        "entryHash",
        "eventLogQuerySchema",
        "type EventLogStorage",
        "GENESIS_HASH",
        "type InsertOptions",
        "linkByPartition",
        "linkHash",
        "type NewEventLog",
        "pageCount",
        "type PageCount",
        "pageFromRows",
        "partitionsOf",
        "planRevert",
        "type RecordedCheckpoint",
        "revertPatchOf",
        "type RevertPlan",
        "type RowChange",
        "rowId",
        "type StorageCapabilities",
        "type StorageQuery",
        "TIMESTAMP_KEY",
        "toTimestampKey",
        "trackedFields",
        "type TransactionOf",
        "UNCHAINED",
      ]
    `);
  });

  it('@eventlog/core/http (framework adapter authors)', () => {
    expect(surface('./http')).toMatchInlineSnapshot(`
      [
        "type AuthorizeResult",
        "type ConnectionInfo",
        "createEventLogRoutes",
        "createObjectLogRoute",
        "createObjectLogRoutes",
        "createObjectStateRoute",
        "type EventLogContext",
        "type EventLogContextOptions",
        "type EventLogJson",
        "type EventLogReader",
        "type EventLogRouteOptions",
        "type HttpAccessOptions",
        "type HttpErrorBody",
        "type HttpIssue",
        "type HttpRequest",
        "type HttpResponse",
        "type HttpRoute",
        "type ObjectLogReader",
        "type ObjectLogRouteOptions",
        "openApiDocument",
        "type OpenApiOptions",
        "type PageBody",
        "requestContextOf",
        "type ResponseFormat",
        "type RouteJsonSchema",
        "routeJsonSchemas",
        "runWithContext",
        "type ScopeFilter",
        "type SeedEventLog",
      ]
    `);
  });
});
