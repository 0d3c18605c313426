import { ConfigurationError } from '../../core/errors.js';
import { bool, choice, pattern } from '../../core/inputs.js';
import { isSafeRelativePath } from '../../core/shell.js';
import { composeProject } from '../compose-project.js';
import type { HealthConfig } from '../host.js';
import type { SwitchConfig } from '../switch/index.js';
import type { SwarmConfig, SwarmReport } from './config.js';
import { checkStackFile, renderedPath } from './stack-file.js';

/**
 * The inputs `mode: swarm` adds to backend and rollback. `mode` replaces compose's own choice (it is
 * spread after composeInputs); `compose-file` is the stack file.
 */
const STACK_NAME = /^[a-z0-9][a-z0-9_-]{0,49}$/;
const STACK_NAME_TEXT = 'a stack name of lower-case letters, digits, "_" and "-" (up to 50, starting with a letter or digit)';

/** Rollback's: it deploys the stack file a release was deployed with, so there are no defaults to apply. */
export const swarmRollbackInputs = {
  mode: choice(['release', 'compose', 'swarm'] as const, 'release'),
  stack: pattern(STACK_NAME, STACK_NAME_TEXT),
};

export const swarmInputs = { ...swarmRollbackInputs, 'swarm-defaults': bool(true) };

type Mode = 'release' | 'compose' | 'swarm';

interface SwarmModeInputs {
  mode: Mode;
  'compose-file': string;
  'compose-project'?: string;
  stack?: string;
  'swarm-defaults'?: boolean;
}

/** The inputs as the release and compose builders read them: a swarm release is, to them, a plain release. */
export function withoutSwarm<I extends { mode: Mode }>(inputs: I): Omit<I, 'mode'> & { mode: 'release' | 'compose' } {
  return { ...inputs, mode: inputs.mode === 'swarm' ? 'release' : inputs.mode };
}

interface ModeConfig {
  root: string;
  /** Deploy: the local release source, where the stack file is checked. Rollback: absent. */
  source?: string;
  restartCommand?: string;
  switch?: SwitchConfig;
  health: HealthConfig;
}

/** Turns a release-mode config into a swarm one (backend and rollback); every check runs before any connection. */
export function applySwarmMode<C extends ModeConfig>(config: C, inputs: SwarmModeInputs, report?: SwarmReport): C {
  if (inputs.mode !== 'swarm') {
    const stray = inputs.stack !== undefined ? 'stack' : undefined;
    if (stray) throw new ConfigurationError(`input "${stray}": only used with mode: swarm (mode is ${inputs.mode})`);
    return config;
  }
  if (config.switch?.kind === 'blue-green')
    throw new ConfigurationError('input "switch": mode swarm rolls services with Swarm\'s own update_config; leave switch at restart');
  if (config.restartCommand)
    throw new ConfigurationError('input "restart-command": not used with mode swarm; docker stack deploy starts the release');
  if (inputs['compose-project'])
    throw new ConfigurationError('input "compose-project": not used with mode swarm; name the stack with "stack"');
  const stack = inputs.stack ?? composeProject(config.root, undefined);
  if (!STACK_NAME.test(stack)) {
    throw new ConfigurationError(
      `input "stack": the default from path's last segment is ${JSON.stringify(stack)}; expected ${STACK_NAME_TEXT}`,
    );
  }
  const swarm: SwarmConfig = {
    stack,
    file: inputs['compose-file'],
    rendered: '',
    timeoutMs: config.health.timeoutMs,
    ...(report ? { report } : {}),
  };
  if (config.source !== undefined) {
    const checked = checkStackFile(config.source, inputs['compose-file'], inputs['swarm-defaults'] ?? true);
    const long = Object.keys(checked.images).filter((name) => stack.length + 1 + name.length > 63);
    if (long.length > 0)
      throw new ConfigurationError(`input "stack": ${stack}_<service> must fit in 63 characters; too long for ${long.join(', ')}`);
    Object.assign(swarm, { rendered: checked.rendered, content: checked.content, services: Object.keys(checked.images) });
  } else {
    swarm.rendered = checkStackPathOnly(inputs['compose-file']);
  }
  return { ...config, switch: { kind: 'swarm', ...swarm } };
}

/** Rollback has no local source: only the path's shape is checked, the file is the one in the release. */
function checkStackPathOnly(file: string): string {
  if (!isSafeRelativePath(file))
    throw new ConfigurationError(`input "compose-file": expected a path relative to the release without "..", got ${JSON.stringify(file)}`);
  return renderedPath(file);
}
