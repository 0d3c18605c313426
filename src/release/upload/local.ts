import { mkdirSync } from 'node:fs';

import { CommandError, tail } from '../../core/errors.js';
import type { Executor } from '../../core/exec.js';
import { parseRsyncBytesSent, rsyncArgs, SCRIPT_PRELUDE, type Transport } from './transport.js';

/** The release layout on the runner's own disk: self-hosted runners and the demo. */
export function localTransport(exec: Executor): Transport {
  return {
    label: 'local',
    run: (script) => exec.run(['bash', '--noprofile', '--norc', '-s'], { stdin: SCRIPT_PRELUDE + script }),
    async upload(localDir, remoteDir, options) {
      mkdirSync(remoteDir, { recursive: true });
      const result = await exec.run(['rsync', ...rsyncArgs(localDir, remoteDir, options)]);
      if (result.exitCode !== 0) throw new CommandError('rsync to the local release directory', result.exitCode, tail(result.stderr));
      return { method: 'rsync', bytesSent: parseRsyncBytesSent(result.stdout) };
    },
    close: async () => undefined,
  };
}
