import { DEFAULT_MASK } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { uid, useHarness } from './support';

const SECRETS = [
  'pw-old-1',
  'pw-new-2',
  'tok-3',
  'Bearer abc.def.4',
  'sk_live_5',
  'cookie-6',
  'nested-pw-7',
  'array-token-8',
  'rendered-secret-9',
];

/**
 * Secrets (password, token, authorization, ... nested and inside arrays) are
 * masked in the stored diff, values, message and metadata, as read back from the raw row.
 */
export function secretTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('secrets masked before storage', () => {
    const s = useHarness(options);

    it('no secret reaches the stored row: diff, values, message and metadata', async () => {
      const h = s.harness();
      const entry = await s.service().log({
        template: 'Reset for {user__name}: new password {user__password}, key {key__apiKey}',
        values: {
          user__name: { name: 'Ann' },
          user__password: { password: 'rendered-secret-9' },
          key__apiKey: { apiKey: 'sk_live_5' },
        },
        tool: uid('tool'),
        action: 'update',
        changes: {
          oldValue: {
            password: 'pw-old-1',
            profile: { settings: { Password: 'nested-pw-7' } },
            devices: [{ id: 1, accessToken: 'array-token-8' }],
          },
          newValue: {
            password: 'pw-new-2',
            credentials: { token: 'tok-3' },
            devices: [{ id: 2 }],
          },
        },
        metadata: {
          headers: { Authorization: 'Bearer abc.def.4', cookie: 'cookie-6', accept: 'json' },
          attempts: [{ api_key: 'sk_live_5' }, 'kept'],
        },
      });
      const raw = await h.readRaw(entry.id);
      expect(raw).toEqual(entry);
      const text = JSON.stringify(raw);
      for (const secret of SECRETS) expect(text, secret).not.toContain(secret);

      expect(raw?.message).toBe(`Reset for Ann: new password ${DEFAULT_MASK}, key ${DEFAULT_MASK}`);
      expect(raw?.values).toEqual({
        user__name: 'Ann',
        user__password: DEFAULT_MASK,
        key__apiKey: DEFAULT_MASK,
      });
      expect(raw?.changes).toEqual({
        oldValue: {
          password: DEFAULT_MASK,
          profile: { settings: { Password: DEFAULT_MASK } },
          devices: [{ id: 1, accessToken: DEFAULT_MASK }],
        },
        newValue: {
          password: DEFAULT_MASK,
          credentials: DEFAULT_MASK,
          devices: [{ id: 2 }],
        },
      });
      expect(raw?.metadata).toEqual({
        headers: { Authorization: DEFAULT_MASK, cookie: DEFAULT_MASK, accept: 'json' },
        attempts: [{ api_key: DEFAULT_MASK }, 'kept'],
      });
    });

    it('plural and compound secret keys and secret placeholder names are masked in the row', async () => {
      const h = s.harness();
      const leak = (n: number) => `leak-${n}-S3cret`;
      const entry = await s.service().log({
        template: 'Login {password__value} {api_key__value} {user__password} {session__id}',
        values: {
          password__value: leak(1),
          api_key__value: leak(2),
          user__password: { password: leak(3) },
          session__id: { id: leak(4) },
        },
        tool: uid('tool'),
        action: 'login',
        changes: { oldValue: { refreshTokens: [leak(5)] }, newValue: { refreshTokens: [] } },
        metadata: {
          cookies: { sid: leak(6) },
          tokens: [leak(7)],
          credentials: { user: 'u', pass: leak(8) },
          creditCardNumber: leak(9),
          credit_card_number: leak(10),
          authorizationHeader: leak(11),
          privateKeyPem: leak(12),
          cvv2: leak(13),
          tokenizer: 'wordpiece',
          author: 'Ann',
        },
      });
      const raw = await h.readRaw(entry.id);
      expect(raw).toEqual(entry);
      expect(JSON.stringify(raw)).not.toContain('S3cret');
      expect(raw?.message).toBe(`Login ${[1, 2, 3, 4].map(() => DEFAULT_MASK).join(' ')}`);
      expect(raw?.values).toEqual({
        password__value: DEFAULT_MASK,
        api_key__value: DEFAULT_MASK,
        user__password: DEFAULT_MASK,
        session__id: DEFAULT_MASK,
      });
      expect(raw?.metadata).toMatchObject({ tokenizer: 'wordpiece', author: 'Ann' });
    });

    it('a diff built by the service masks secrets before they reach the row', async () => {
      const h = s.harness();
      const svc = s.service();
      const changes = svc.createDiffSchema(
        { email: 'a@x', password: 'pw-old-1', keys: [{ secret: 'tok-3' }] },
        { email: 'b@x', password: 'pw-new-2', keys: [{ secret: 'array-token-8' }] },
        { deep: true },
      );
      const entry = await svc.log({
        template: 'changed',
        tool: uid('tool'),
        action: 'update',
        changes,
      });
      const raw = await h.readRaw(entry.id);
      const text = JSON.stringify(raw);
      for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
      expect(raw?.changes?.newValue).toMatchObject({ email: 'b@x', password: DEFAULT_MASK });
    });
  });
}
