import { ConfigurationError } from '../../core/errors.js';
import { choice, type InputsOf, integer, list, optionalText, text } from '../../core/inputs.js';
import { isSafeRemotePath } from '../../core/shell.js';
import type { SwitchConfig } from './index.js';

/** The inputs of the switch step, shared by backend and rollback (rollback starts releases the same way). */
export const switchInputs = {
  switch: choice(['restart', 'blue-green'] as const, 'restart'),
  ports: list(),
  'start-command': optionalText(),
  'stop-command': optionalText(),
  'health-path': text('/'),
  'nginx-upstream-file': optionalText(),
  'nginx-test-command': text('nginx -t'),
  'nginx-reload-command': text('nginx -s reload'),
  'drain-seconds': integer(10, 0, 3600),
};

export type SwitchInputs = InputsOf<typeof switchInputs> & { 'restart-command'?: string };

const BLUE_GREEN_ONLY = ['start-command', 'stop-command', 'nginx-upstream-file'] as const;

/** Checks the switch inputs together, before anything remote happens. */
export function switchConfig(inputs: SwitchInputs): SwitchConfig {
  if (inputs.switch === 'restart') {
    const stray = BLUE_GREEN_ONLY.find((name) => inputs[name] !== undefined) ?? (inputs.ports.length > 0 ? 'ports' : undefined);
    if (stray) throw new ConfigurationError(`input "${stray}": only used with switch: blue-green (switch is restart)`);
    return { kind: 'restart' };
  }
  // restart-command stays allowed: it restarts the processes that are not the web pair (workers, beat) after the switch.
  const ports = inputs.ports.map((p) => (/^\d{1,5}$/.test(p) ? Number(p) : NaN));
  if (ports.length !== 2 || ports.some((p) => !(p >= 1 && p <= 65535)) || ports[0] === ports[1]) {
    throw new ConfigurationError(
      `input "ports": expected two different loopback ports such as 8001,8002, got ${JSON.stringify(inputs.ports.join(','))}`,
    );
  }
  if (!inputs['start-command']) {
    throw new ConfigurationError(
      'input "start-command": required with switch: blue-green; it starts the release on $PORT, e.g. sudo systemctl start app@$PORT',
    );
  }
  const file = inputs['nginx-upstream-file'];
  if (!file)
    throw new ConfigurationError(
      'input "nginx-upstream-file": required with switch: blue-green, e.g. /etc/nginx/deploy-kit/app-upstream.conf',
    );
  if (!file.startsWith('/') || !isSafeRemotePath(file) || file.endsWith('/')) {
    throw new ConfigurationError(
      `input "nginx-upstream-file": expected an absolute file path without "..", spaces or shell characters, got ${JSON.stringify(file)}`,
    );
  }
  const path = inputs['health-path'];
  if (!/^\/[\x21-\x7e]*$/.test(path))
    throw new ConfigurationError(`input "health-path": expected a path starting with "/" without spaces, got ${JSON.stringify(path)}`);
  return {
    kind: 'blue-green',
    ports: [ports[0]!, ports[1]!],
    startCommand: inputs['start-command'],
    stopCommand: inputs['stop-command'],
    healthPath: path,
    nginx: { upstreamFile: file, testCommand: inputs['nginx-test-command'], reloadCommand: inputs['nginx-reload-command'] },
    drainMs: inputs['drain-seconds'] * 1000,
  };
}
