import { describe, expect, it } from '@jest/globals';
import { isUnknown, unknown } from '../../src/core/types.js';

describe('unknown values', () => {
  it('are recognised by their marker and keep their reason', () => {
    const u = unknown('data source');
    expect(isUnknown(u)).toBe(true);
    expect(u.reason).toBe('data source');
    expect(isUnknown({ reason: 'x' })).toBe(false);
    expect(isUnknown(null)).toBe(false);
    expect(isUnknown('$unknown')).toBe(false);
  });
});
