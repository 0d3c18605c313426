import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Daemon {
  child: ChildProcess;
  /** Sends `signal` and resolves when the process has exited (at once if it already has). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a server in the foreground and waits until it listens on `port` (by `ready`, 127.0.0.1 here by default); on
 * failure, kills it and shows its stderr.
 */
export async function startDaemon(
  name: string,
  argv: readonly string[],
  port: number,
  timeoutMs = 15_000,
  ready: (port: number, timeoutMs: number) => Promise<void> = waitForPort,
): Promise<Daemon> {
  const [file, ...args] = argv;
  const child = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await ready(port, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${log}`, { cause: error });
  }
  return {
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
