import { describe, expect, it } from 'vitest';

import { ConfigurationError } from '../../src/core/errors.js';
import { parseBlock } from '../../src/pipeline/blocks.js';

const KNOWN = ['transport', 'path', 'token'];

describe('parseBlock', () => {
  it('reads a block as the action inputs, lists as lines', () => {
    expect(parseBlock('backend', 'transport: local\npath: /srv/app\ntoken: [a, b]\n', KNOWN)).toEqual({
      transport: 'local',
      path: '/srv/app',
      token: 'a\nb',
    });
  });

  it('says what and where a YAML error is, without quoting the block (it may hold a token the run cannot know yet)', () => {
    const error = (() => {
      try {
        parseBlock('backend', 'transport: local\ntoken: "tok-en-0123456789"\n  path: [', KNOWN);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(/^input "backend": expected YAML mapping of the action's inputs: .* at line 3, column 1$/);
    expect(error?.message).not.toContain('tok-en');
  });

  it('names the type of a block that is not a mapping, not its text', () => {
    expect(() => parseBlock('frontend', 'tok-en-0123456789', KNOWN)).toThrow(
      'input "frontend": expected a YAML mapping such as "hosts: deploy@app1", got a string (not shown)',
    );
  });
});
