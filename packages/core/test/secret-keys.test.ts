import { DEFAULT_MASK, DEFAULT_SECRET_KEYS, isSecretKey, redact } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// Mutants of keyWords that no test can tell apart (equivalent; each checked against the original
// on 200,000 random keys, same words for every key): a digit read as a separator (the digit
// range or its bounds mutated: digits end a word either way and digit-only words are dropped),
// `kind !== 0` as true (after a separator the word start is already past it), the loop running
// to `i <= key.length` (the extra step flushes the word the final flush would), and `c > 127` as
// `>=` or as true (the Unicode path cuts an ASCII key into the same words; only speed differs).

/**
 * For each default entry, a key that only this entry makes secret (or, for an exception, keeps
 * visible): dropping any default from the list fails the test.
 */
const ONLY_BY: Record<string, string> = {
  '/pass(?:word|wd|phrase)/': 'passwordhash',
  pwd: 'pwd',
  secret: 'client_secret',
  credential: 'credentials',
  authorization: 'proxy_authorization',
  cookie: 'cookies',
  sid: 'connect.sid',
  'private key': 'privateKeyPem',
  'credit card': 'credit_card',
  'card number': 'card_number',
  cvv: 'cvv2',
  cvc: 'cvc',
  ssn: 'ssn',
  '*token': 'refreshTokens',
  '*session': 'session',
  '*session id': 'sessionId',
  '*api key': 'x-api-key',
  '*access key': 'access_key',
  '!max tokens': 'max_tokens',
};

const label = (k: string | RegExp): string => (typeof k === 'string' ? k : String(k));

describe('default secret keys', () => {
  it('every default entry has a key that only it decides', () => {
    expect(DEFAULT_SECRET_KEYS.map(label).sort()).toEqual(Object.keys(ONLY_BY).sort());
  });

  for (const entry of DEFAULT_SECRET_KEYS) {
    const key = ONLY_BY[label(entry)] as string;
    const exception = label(entry).startsWith('!');
    it(`${label(entry)} decides ${key}, and masking follows it in redact()`, () => {
      const without = DEFAULT_SECRET_KEYS.filter((k) => k !== entry);
      expect(isSecretKey(key)).toBe(!exception);
      expect(isSecretKey(key, { keys: without })).toBe(exception);
      const masked = redact({ nested: [{ [key]: 'S3cret' }] });
      expect(masked.nested[0]?.[key]).toBe(exception ? 'S3cret' : DEFAULT_MASK);
    });
  }

  it.each([
    // The names the defaults listed one by one before they became words.
    'password',
    'passwd',
    'pwd',
    'passphrase',
    'secret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'auth_token',
    'authorization',
    'proxy_authorization',
    'api_key',
    'apikey',
    'x_api_key',
    'cookie',
    'set_cookie',
    'session',
    'session_id',
    'private_key',
    'client_secret',
    'secret_key',
    'access_key',
    'secret_access_key',
    'credit_card',
    'card_number',
    'cvv',
    'cvc',
    'ssn',
    // Plural and compound forms.
    'cookies',
    'sid',
    'tokens',
    'refreshTokens',
    'credentials',
    'creditCardNumber',
    'credit_card_number',
    'authorizationHeader',
    'privateKeyPem',
    'cvv2',
    'CVV2',
    'X-CSRF-Token',
    'APIKey',
    'apiKeys',
    'sessionIds',
    'userPasswords',
    'password_hash',
    'newpassword',
  ])('masks %s', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'tokenizer',
    'tokenCount',
    'tokenType',
    'max_tokens',
    'maxTokens',
    'author',
    'authorName',
    'keyboard',
    'monkey',
    'primaryKey',
    'apiKeyId',
    'accessKeyId',
    'sessionLength',
    'secretary',
    'considered',
    'side',
    'passage',
    'status',
  ])('keeps %s', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it('masks passwordless too: glued lower-case words cannot be told from passwordhash', () => {
    expect(isSecretKey('passwordless')).toBe(true);
    const keys = DEFAULT_SECRET_KEYS.filter((k) => typeof k === 'string').concat('password');
    expect(isSecretKey('passwordless', { keys })).toBe(false);
    expect(isSecretKey('passwordHash', { keys })).toBe(true);
  });

  it("masks Express's req.cookies whole, and a bare sid", () => {
    const out = redact({ cookies: { sid: 's:abc' }, signedCookies: { 'connect.sid': 's:d' } });
    expect(out).toEqual({ cookies: DEFAULT_MASK, signedCookies: DEFAULT_MASK });
    expect(redact({ sid: 's:abc', session: { sid: 'x' } })).toEqual({
      sid: DEFAULT_MASK,
      session: DEFAULT_MASK,
    });
  });

  it('a configured list adds words, phrases, tail-only words and exceptions', () => {
    const keys = [...DEFAULT_SECRET_KEYS, 'pin', '*otp', '!pin count'];
    expect(isSecretKey('userPins', { keys })).toBe(true);
    expect(isSecretKey('pin_code', { keys })).toBe(true);
    expect(isSecretKey('pinCount', { keys })).toBe(false);
    expect(isSecretKey('smsOtp', { keys })).toBe(true);
    expect(isSecretKey('otpExpiresAt', { keys })).toBe(false);
    expect(isSecretKey('spinner', { keys })).toBe(false);
    const noSession = DEFAULT_SECRET_KEYS.filter((k) => k !== '*session');
    expect(isSecretKey('session', { keys: noSession })).toBe(false);
    expect(isSecretKey('sessionId', { keys: noSession })).toBe(true);
  });
});

describe('where words start and end', () => {
  it.each([
    // Trailing or doubled separators add no word: the plural before them still ends the key.
    ['tokens_', true],
    ['api__keys--', true],
    ['clé_tokens_', true],
    // A word made of digits is dropped on the ASCII path too: the exception still applies.
    ['max_1_tokens', false],
    ['max2tokens', false],
    // A non-ASCII letter is part of its word, not a separator.
    ['secretário', false],
    ['tokené', false],
    // Digits separate words next to any letter: after a non-ASCII one as after an ASCII one.
    ['clé1token', true],
    ['cle1token', true],
    ['é2cvv', true],
    ['клиент1token', true],
    ['clé2fa_token', true],
    ['mot2passe', false],
    // Two letters ending in s are a word, not a plural: `cv_vs` does not spell `cvv`.
    ['cv_vs', false],
  ])('%s is secret: %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });

  it('a configured phrase may be written in any script', () => {
    expect(isSecretKey('пароль', { keys: ['пароль'] })).toBe(true);
    expect(isSecretKey('новыйПароль', { keys: ['пароль'] })).toBe(true);
    expect(isSecretKey('парольный', { keys: ['пароль'] })).toBe(false);
  });

  it('a RegExp sees the key with every _ and - removed', () => {
    expect(isSecretKey('x-api_key', { keys: [/^xapikey$/] })).toBe(true);
    expect(isSecretKey('X_API-KEY', { keys: [/^xapikey$/] })).toBe(true);
  });
});
