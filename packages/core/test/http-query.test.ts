import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../src/errors';
import { HTTP_MAX_PAGE, paramOfField, parseListQuery } from '../src/http/query';

/** The issues of the ValidationError that parsing `qs` throws. */
function issuesOf(qs: string, fixed?: ReadonlySet<string>): ValidationIssue[] {
  try {
    parseListQuery(qs, fixed);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error(`expected ${qs} to be refused`);
}

/** The one parameter and message a query string is refused for. */
const refused = (qs: string, fixed?: ReadonlySet<string>): [string, string] => {
  const issues = issuesOf(qs, fixed);
  return [String(issues[0]?.path[0]), String(issues[0]?.message)];
};

const ZOD = '(zod)';

describe('parseListQuery — what a list request may say', () => {
  it('defaults: cursor style, 50 newest first, no count, no filter', () => {
    expect(parseListQuery('')).toEqual({
      query: { limit: 50, offset: 0, order: 'desc', withCount: false },
      style: 'cursor',
      page: 1,
      pageSize: 50,
      params: [],
    });
  });

  it('maps batch, changed and cursor, keeps the validated parameters in their order', () => {
    const parsed = parseListQuery(
      'changed=status&batch=b1&changed=owner&cursor=abc_-9&with_count=false',
    );
    expect(parsed.query).toEqual({
      batchId: 'b1',
      changedKey: ['status', 'owner'],
      cursor: 'abc_-9',
      limit: 50,
      offset: 0,
      order: 'desc',
      withCount: false,
    });
    expect(parsed.params).toEqual([
      ['changed', 'status'],
      ['batch', 'b1'],
      ['changed', 'owner'],
      ['cursor', 'abc_-9'],
      ['with_count', 'false'],
    ]);
  });

  it('maps every filter onto the core query, and either end of a time range alone', () => {
    const parsed = parseListQuery(
      'tool=a&action=x&action=y&actor=u1&object_type=Item&object_id=7&search=hi&to=2024-01-02T00:00:00Z&with_count=true',
    );
    expect(parsed.query).toEqual({
      tool: ['a'],
      action: ['x', 'y'],
      actorId: 'u1',
      objectType: 'Item',
      objectId: '7',
      search: 'hi',
      to: new Date('2024-01-02T00:00:00Z'),
      limit: 50,
      offset: 0,
      order: 'desc',
      withCount: true,
    });
    expect(parseListQuery('from=2024-01-01T00:00:00Z').query).toEqual({
      from: new Date('2024-01-01T00:00:00Z'),
      limit: 50,
      offset: 0,
      order: 'desc',
      withCount: false,
    });
  });

  it('page style from page_size alone starts at page 1, and pins the highest page', () => {
    const parsed = parseListQuery('page_size=10');
    expect(parsed).toMatchObject({ style: 'page', page: 1, pageSize: 10 });
    expect(parsed.query).toMatchObject({ limit: 10, offset: 0, withCount: true });
    expect(HTTP_MAX_PAGE).toBe(20_000);
    expect(parseListQuery('page=20000&page_size=500').query.offset).toBe(19_999 * 500);
    expect(refused('page=20001')[0]).toBe('page');
    expect(refused('page=0')[0]).toBe('page');
    expect(refused('limit=0')[0]).toBe('limit');
    expect(parseListQuery('limit=1').query.limit).toBe(1);
    expect(parseListQuery('page=1').query.offset).toBe(0);
  });

  it.each([
    ['limit=1.5', 'limit', 'must be a whole number'],
    ['limit=-1', 'limit', 'must be a whole number'],
    ['limit=1e2', 'limit', 'must be a whole number'],
    ['limit=+5', 'limit', 'must be a whole number'],
    ['page=1234567890', 'page', 'must be a whole number'],
    ['limit=x5', 'limit', 'must be a whole number'],
    ['limit=5x', 'limit', 'must be a whole number'],
    ['actor=', 'actor', ZOD],
    ['actor=a%00b', 'actor', 'must not contain U+0000 (NUL)'],
    ['search=a%00', 'search', 'must not contain U+0000 (NUL)'],
    ['search=', 'search', ZOD],
    ['cursor=', 'cursor', ZOD],
    ['cursor=ab%2Bc', 'cursor', 'is not a cursor returned by this API'],
    ['cursor=ab.c', 'cursor', 'is not a cursor returned by this API'],
    ['cursor=%20abc', 'cursor', 'is not a cursor returned by this API'],
    ['order=up', 'order', ZOD],
    ['with_count=1', 'with_count', ZOD],
    [
      'from=2024-01-01',
      'from',
      'must be an ISO 8601 date-time with a timezone, e.g. 2024-01-31T12:00:00Z',
    ],
    [
      'to=2024-01-01T00:00:00',
      'to',
      'must be an ISO 8601 date-time with a timezone, e.g. 2024-01-31T12:00:00Z',
    ],
    ['tool=', 'tool', ZOD],
  ])('%s is refused on %s: %s', (qs, param, message) => {
    const [name, said] = refused(qs);
    expect(name).toBe(param);
    // zod words its own refusals; only the messages this module writes are pinned.
    if (message !== ZOD) expect(said).toBe(message);
  });

  it('bounds each text by length: 255 for filters, 200 for search, 1000 for a cursor', () => {
    expect(parseListQuery(`actor=${'a'.repeat(255)}`).query.actorId).toHaveLength(255);
    expect(refused(`actor=${'a'.repeat(256)}`)[0]).toBe('actor');
    expect(parseListQuery(`search=${'s'.repeat(200)}`).query.search).toHaveLength(200);
    expect(refused(`search=${'s'.repeat(201)}`)[0]).toBe('search');
    expect(parseListQuery(`cursor=${'c'.repeat(1000)}`).query.cursor).toHaveLength(1000);
    expect(refused(`cursor=${'c'.repeat(1001)}`)[0]).toBe('cursor');
  });

  it('refuses contradictions after validation, naming each parameter', () => {
    expect(issuesOf('from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z')).toEqual([
      { path: ['from'], message: 'must not be after `to`' },
    ]);
    // The same instant is an empty range, not a contradiction.
    expect(parseListQuery('from=2024-01-01T00:00:00Z&to=2024-01-01T00:00:00Z').query.from).toEqual(
      new Date('2024-01-01T00:00:00Z'),
    );
    expect(issuesOf('page=2&cursor=abc&limit=5&object_id=7')).toEqual([
      { path: ['cursor'], message: 'cannot be combined with page or page_size' },
      { path: ['limit'], message: 'use page_size with page' },
      { path: ['object_id'], message: 'needs object_type' },
    ]);
    expect(() => parseListQuery('page_size=5&cursor=abc')).toThrow(
      'cursor: cannot be combined with page or page_size',
    );
    // A route that fixes object_type lets the client name the object id.
    expect(parseListQuery('object_id=7', new Set(['object_type'])).query.objectId).toBe('7');
  });

  it('refuses a scalar given twice, brackets anywhere, and fixed parameters', () => {
    expect(issuesOf('actor=a&actor=b')).toEqual([
      { path: ['actor'], message: 'must be given once' },
    ]);
    expect(refused('[x]=1')).toEqual(['[x]', 'nested objects and arrays are not accepted']);
    expect(refused('tool]=1')).toEqual(['tool', 'nested objects and arrays are not accepted']);
    expect(refused('object_type=A', new Set(['object_type']))).toEqual([
      'object_type',
      'is set by this route and cannot be given',
    ]);
  });

  it('takes exactly 50 values of a repeatable parameter', () => {
    const tools = (n: number) => Array.from({ length: n }, (_, i) => `tool=t${i}`).join('&');
    expect(parseListQuery(tools(50)).query.tool).toHaveLength(50);
    expect(issuesOf(tools(51))).toEqual([{ path: ['tool'], message: 'accepts at most 50 values' }]);
  });

  it('clips long unknown names to 64 characters and stops reading after 10 problems', () => {
    const long = 'k'.repeat(65);
    expect(refused(`${long}=1`)[0]).toBe(`${'k'.repeat(64)}…`);
    expect(refused(`${'k'.repeat(64)}=1`)[0]).toBe('k'.repeat(64));
    expect(refused(`${long}[a]=1`)[0]).toBe(`${'k'.repeat(64)}…`);
    const junk = Array.from({ length: 30 }, (_, i) => `x${i}=1`).join('&');
    const issues = issuesOf(junk);
    expect(issues).toHaveLength(10);
    expect(issues[0]).toEqual({ path: ['x0'], message: 'is not a known parameter' });
    expect(issues[9]?.path).toEqual(['x9']);
  });

  it('the error message names the first problem', () => {
    expect(() => parseListQuery('x=1&limit=0')).toThrow(/^x: is not a known parameter$/);
    expect(() => parseListQuery('limit=a')).toThrow(/^limit: must be a whole number$/);
  });
});

describe('paramOfField', () => {
  it.each([
    ['actorId', 'cursor', 'actor'],
    ['objectType', 'cursor', 'object_type'],
    ['objectId', 'cursor', 'object_id'],
    ['withCount', 'cursor', 'with_count'],
    ['batchId', 'cursor', 'batch'],
    ['changedKey', 'cursor', 'changed'],
    ['offset', 'page', 'page'],
    ['limit', 'page', 'page_size'],
    ['limit', 'cursor', 'limit'],
    ['search', 'cursor', 'search'],
    [0, 'cursor', 'query'],
    [undefined, 'page', 'query'],
  ] as const)('names %s (%s style) as %s', (field, style, param) => {
    expect(paramOfField(field, style)).toBe(param);
  });
});
