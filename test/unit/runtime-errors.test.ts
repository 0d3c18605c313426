import { describe, expect, it } from 'vitest';

import { CommandError, ConfigurationError, OperationalError } from '../../src/core/errors.js';
import { describeFailure } from '../../src/runtime/errors.js';

describe('describeFailure', () => {
  it('a configuration error says to fix the inputs and that nothing was changed', () => {
    expect(
      describeFailure(
        'backend',
        new ConfigurationError('input "path": expected the deploy root\ninput "hosts": expected one or more hosts'),
      ),
    ).toBe(
      'backend: configuration error:\ninput "path": expected the deploy root\ninput "hosts": expected one or more hosts\nFix the inputs above; nothing was changed on any host.',
    );
  });

  it.each([
    [
      new OperationalError('web1: health check failed', 'look at the app logs on web1'),
      'backend: web1: health check failed\nNext: look at the app logs on web1',
    ],
    [new OperationalError('web1: health check failed'), 'backend: web1: health check failed'],
    [
      new CommandError('restart-command on web1', 3, 'Job for app.service failed', 'check systemctl status app'),
      'backend: restart-command on web1 failed with exit code 3:\nJob for app.service failed\nNext: check systemctl status app',
    ],
    [new CommandError('rsync', 23, ''), 'backend: rsync failed with exit code 23'],
  ])('an operational error says what failed and, with a hint, what to do next (%#)', (error, text) => {
    expect(describeFailure('backend', error)).toBe(text);
  });

  it('anything else is an unexpected error, with its stack for a bug report', () => {
    const error = new TypeError('Cannot read properties of undefined');
    const text = describeFailure('rollback', error);
    expect(
      text.startsWith('rollback: unexpected error: Cannot read properties of undefined\nTypeError: Cannot read properties of undefined\n'),
    ).toBe(true);
    expect(text).toContain('runtime-errors.test.ts');
    expect(text).not.toContain('configuration error');
    expect(describeFailure('rollback', 'a thrown string')).toBe('rollback: unexpected error: a thrown string');
  });
});
