import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** Kills whatever app instances the kit left running under a blue/green deploy root (its port-<n>.pid files). */
export function killInstances(root: string): void {
  const state = join(root, '.deploy-kit');
  if (!existsSync(state)) return;
  for (const file of readdirSync(state).filter((f) => /^port-\d+\.pid$/.test(f))) {
    const pid = Number(readFileSync(join(state, file), 'utf8').split(' ')[0]);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Whether anything accepts a connection on 127.0.0.1:<port> right now. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
