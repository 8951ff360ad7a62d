import { describe, expect, it } from 'vitest';
import { isCI } from '../src/is-ci';

describe('isCI: the one rule for "must every database suite run"', () => {
  it.each(['true', '1', 'TRUE', 'yes', 'github-actions'])('CI=%s is CI', (value) => {
    expect(isCI({ CI: value })).toBe(true);
  });

  it.each(['', ' ', '0', 'false', 'False'])('CI=%j is not CI', (value) => {
    expect(isCI({ CI: value })).toBe(false);
  });

  it('an unset CI is not CI', () => {
    expect(isCI({})).toBe(false);
  });
});
