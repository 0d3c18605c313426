import { describe, expect, it } from 'vitest';

import { lazy } from '../../src/core/lazy.js';

describe('lazy', () => {
  it('loads the module on the first call, not before, and passes the arguments and the result through', async () => {
    let loads = 0;
    const module = { add: async (a: number, b: number) => a + b };
    const add = lazy(async () => {
      loads += 1;
      return module;
    }, 'add');
    expect(loads).toBe(0);
    await expect(add(2, 3)).resolves.toBe(5);
    await expect(add(4, 5)).resolves.toBe(9);
    // import() caches the module itself; lazy() only defers the first import.
    expect(loads).toBe(2);
  });

  it('rejects with the function’s own error', async () => {
    const fail = lazy(async () => ({ fail: async () => Promise.reject(new Error('boom')) }), 'fail');
    await expect(fail()).rejects.toThrow('boom');
  });
});
