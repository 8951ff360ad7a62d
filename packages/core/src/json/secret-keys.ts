/**
 * Which keys are secret: a key is split into words, and the configured phrases are looked for
 * among them. See {@link DEFAULT_SECRET_KEYS} for the rules and the defaults.
 */

/**
 * The default secret keys. Each string is a word or phrase looked for among the words of a key
 * (see {@link keyWords}), written in any case or spelling (`'api key'`, `'apiKey'` and
 * `'api_key'` are the same phrase); the last word of the phrase may be plural in the key:
 *
 * - `'cookie'`: the phrase anywhere in the key: `cookies`, `Set-Cookie`, `cookieHeader`.
 * - `'*token'`: only at the end of the key: `refreshTokens`, `csrf_token`, but not `tokenCount`
 *   or `tokenizer`.
 * - `'!max tokens'`: an exception: a key made of exactly these words is never secret.
 * - A RegExp is tested against the key as written and against its {@link normalizeKey} form;
 *   the default one catches the password family even glued into one lower-case word
 *   (`passwordhash`, as PostgreSQL folds unquoted names, `newpassword`, `passwordless`).
 *
 * Words are never matched inside other words: `author`, `secretary`, `keyboard`, `monkey` and
 * `tokenizer` are not secret. To extend the list, spread it (`[...DEFAULT_SECRET_KEYS, 'pin']`);
 * to remove a word, filter it out (`DEFAULT_SECRET_KEYS.filter((k) => k !== '*session')`).
 */
export const DEFAULT_SECRET_KEYS: readonly (string | RegExp)[] = Object.freeze([
  /pass(?:word|wd|phrase)/,
  'pwd',
  'secret',
  'credential',
  'authorization',
  'cookie',
  'sid',
  'private key',
  'credit card',
  'card number',
  'cvv',
  'cvc',
  'ssn',
  '*token',
  '*session',
  '*session id',
  '*api key',
  '*access key',
  '!max tokens',
]);

/** Lower case without `_` and `-`: `API-KEY`, `api_key` and `apiKey` all become `apikey`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * The lower-case words of a key: camelCase humps (`refreshTokens`, `APIKey`), `_`, `-`, `.`,
 * spaces and any other non-alphanumeric character, and digits (`cvv2`) separate words;
 * words made of digits only are dropped.
 */
export function keyWords(key: string): string[] {
  const words: string[] = [];
  // ASCII keys (nearly all) in one pass; others through the Unicode-aware regexes below.
  let start = 0;
  let kind = 0; // of the previous character: 0 separator, 1 lower, 2 upper, 3 digit
  const flush = (end: number) => {
    if (end > start && kind !== 3) words.push(key.slice(start, end).toLowerCase());
    start = end;
  };
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c > 127) return unicodeWords(key);
    const k = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : 0;
    if (k === 0) {
      flush(i);
      start = i + 1;
    } else if (kind !== 0 && k !== kind) {
      // aB, 1B, a1, A1, 1a split; AB does not; Ab stays one word.
      if (!(kind === 2 && k === 1)) flush(i);
    } else if (k === 2 && kind === 2) {
      const next = key.charCodeAt(i + 1);
      if (next >= 97 && next <= 122) flush(i); // the B of ABc starts a word
    }
    kind = k;
  }
  flush(key.length);
  return words;
}

function unicodeWords(key: string): string[] {
  const words = key
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    // Lookarounds, not captures: in `é1t` the 1 ends one match and must start the next.
    .replace(/(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  return words.filter((w) => w !== '' && !/^\p{N}+$/u.test(w));
}

/** The singular of an English plural in keys (`tokens` → `token`, not `pass` or `ids` → `id`). */
function singular(word: string): string {
  return word.length > 2 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Words joined, the last one in the singular: how phrases and exceptions are compared. */
function spelling(words: readonly string[]): string {
  const last = words.length - 1;
  return last < 0 ? '' : words.slice(0, last).join('') + singular(words[last] as string);
}

/**
 * True when consecutive words of the key, joined, spell one of `anywhere` or (ending the key)
 * one of `atEnd`, the last of those words possibly in the plural. `longest` bounds the search.
 */
function spellsAny(
  words: readonly string[],
  anywhere: ReadonlySet<string>,
  atEnd: ReadonlySet<string>,
  longest: number,
): boolean {
  const n = words.length;
  for (let i = 0; i < n; i++) {
    let text = '';
    for (let j = i; j < n && text.length < longest; j++) {
      const w = words[j] as string;
      const plain = text + w;
      const one = singular(w) === w ? plain : text + singular(w);
      if (anywhere.has(plain) || anywhere.has(one)) return true;
      if (j === n - 1 && (atEnd.has(plain) || atEnd.has(one))) return true;
      text = plain;
    }
  }
  return false;
}

/** A compiled key list: answers "is this key secret?" with a bounded memo. */
export type SecretMatcher = (key: string) => boolean;

const MEMO_LIMIT = 10_000;

/** Compiles a key list (see {@link DEFAULT_SECRET_KEYS} for what its entries mean). */
export function compileSecretKeys(keys: readonly (string | RegExp)[]): SecretMatcher {
  const anywhere = new Set<string>();
  const atEnd = new Set<string>();
  const exceptions = new Set<string>();
  const patterns: RegExp[] = [];
  for (const k of keys) {
    if (typeof k !== 'string') {
      // A global or sticky RegExp keeps state between `test` calls; a clean copy does not.
      patterns.push(new RegExp(k.source, k.flags.replace(/[gy]/g, '')));
      continue;
    }
    const mark = k[0];
    const phrase = spelling(keyWords(mark === '*' || mark === '!' ? k.slice(1) : k));
    if (phrase === '') continue;
    (mark === '*' ? atEnd : mark === '!' ? exceptions : anywhere).add(phrase);
  }
  let longest = 0;
  for (const p of [...anywhere, ...atEnd]) longest = Math.max(longest, p.length);
  const verdict = (key: string): boolean => {
    const words = keyWords(key);
    if (exceptions.size > 0 && exceptions.has(spelling(words))) return false;
    if (spellsAny(words, anywhere, atEnd, longest)) return true;
    if (patterns.length === 0) return false;
    const n = normalizeKey(key);
    for (const p of patterns) if (p.test(n) || p.test(key)) return true;
    return false;
  };
  // A null-prototype dictionary: V8's keyed loads on it beat `Map.get` on this hot path.
  let memo: Record<string, boolean> = Object.create(null);
  let size = 0;
  return (key) => {
    const known = memo[key];
    if (known !== undefined) return known;
    const secret = verdict(key);
    if (++size > MEMO_LIMIT) {
      memo = Object.create(null);
      size = 1;
    }
    memo[key] = secret;
    return secret;
  };
}
