import { describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import { RENDER_API, renderConfig } from '../../src/backend/render/config.js';
import type { RunContext } from '../../src/core/action.js';

function context(): { ctx: RunContext; warnings: string[]; masked: string[] } {
  const logger = recordingLogger();
  return { ctx: { logger } as unknown as RunContext, warnings: logger.warnings, masked: logger.masked };
}

const base = { service: 'srv-abc123', token: 'rnd_key_0123456789', 'api-url': RENDER_API, timeout: 60_000 };
const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('renderConfig', () => {
  it('builds the config, masks the key, and warns about an image not pinned by digest', () => {
    const { ctx, warnings, masked } = context();
    expect(renderConfig({ ...base, image: `ghcr.io/acme/shop@${DIGEST}`, 'clear-cache': true }, ctx)).toEqual({
      apiUrl: RENDER_API,
      token: base.token,
      service: 'srv-abc123',
      timeoutMs: 60_000,
      commit: undefined,
      imageUrl: `ghcr.io/acme/shop@${DIGEST}`,
      clearCache: true,
    });
    expect(masked).toContain(base.token);
    expect(warnings).toEqual([]);
    renderConfig({ ...base, image: 'ghcr.io/acme/shop:v1' }, ctx);
    expect(warnings[0]).toMatch(/not pinned by digest/);
  });

  it.each([
    [{ service: undefined }, /input "service"/],
    [{ token: undefined }, /input "token"/],
    [{ commit: 'a1b2c3d', image: `a/b@${DIGEST}` }, /inputs "commit" and "image"/],
    [{ image: 'not an image' }, /input "image"/],
  ])('rejects %j', (override, message) => {
    expect(() => renderConfig({ ...base, ...override } as typeof base, context().ctx)).toThrow(message);
  });
});
