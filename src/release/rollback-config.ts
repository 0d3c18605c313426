import { type InputsOf, optionalText } from '../core/inputs.js';
import { connectionConfig, sshConnectionInputs } from '../ssh/inputs.js';
import { applyComposeMode, composeInputs } from './compose.js';
import type { HealthConfig } from './host.js';
import { lockConfig } from './lock.js';
import type { RollbackConfig } from './rollback.js';
import { switchConfig, switchInputs } from './switch/inputs.js';

/**
 * Everything a rollback over SSH needs to start the older release the way it was deployed: the
 * connection, the lock, the switch strategy (restart or blue/green) and compose mode. The rollback
 * action and smoke's `on-failure: rollback` both take these inputs and build the config here.
 */
export const rollbackInputs = {
  ...sshConnectionInputs,
  ...composeInputs,
  'restart-command': optionalText(),
  ...switchInputs,
};

export type RollbackInputs = InputsOf<typeof rollbackInputs>;

/** The one rollback config; every check in it runs before any connection. */
export function rollbackConfig(inputs: RollbackInputs, to: string, health: HealthConfig): RollbackConfig {
  return applyComposeMode(
    {
      ...connectionConfig(inputs),
      to,
      restartCommand: inputs['restart-command'],
      switch: switchConfig(inputs),
      health,
      lock: lockConfig(inputs),
    },
    inputs,
  );
}
