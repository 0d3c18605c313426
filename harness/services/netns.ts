import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A network namespace of its own (`unshare -n`, only its loopback up), held open by a sleeping
 * process: servers started in it (`nsenter --net=<path>`) listen on a 127.0.0.1 the test's own
 * processes cannot reach. `expose` makes one of its ports reachable on the same port outside, so a
 * jump host can sit in it beside a host reachable only through the jump host.
 */
export interface NetworkNamespace {
  /** /proc/<holder>/ns/net, for nsenter --net=. */
  path: string;
  /** argv prefixed to run a program inside the namespace. */
  wrap(argv: readonly string[]): string[];
  /** Resolves when something listens on 127.0.0.1:port inside the namespace. */
  waitForPort(port: number, timeoutMs?: number): Promise<void>;
  /** Relays 127.0.0.1:port outside to 127.0.0.1:port inside (each connection through a socat run in the namespace). */
  expose(port: number): Promise<void>;
  /** Closes the relays and ends the holder (the namespace goes with its last process). */
  stop(): Promise<void>;
}

/** Whether this machine lets the tests make a network namespace (root, or a user namespace allowed). */
export function networkNamespacesAvailable(): boolean {
  return (
    spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status === 0 && spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startNetworkNamespace(): Promise<NetworkNamespace> {
  const holder = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec sleep infinity'], { stdio: 'ignore' });
  const path = `/proc/${holder.pid}/ns/net`;
  const own = readlinkSync('/proc/self/ns/net');
  for (let i = 0; ; i += 1) {
    // unshare runs in the child before sh: the link differs from ours once it has, and lo is up once sh got to sleep.
    const ready = (() => {
      try {
        return readlinkSync(path) !== own && readlinkSync(`/proc/${holder.pid}/exe`).endsWith('/sleep');
      } catch {
        return false;
      }
    })();
    if (ready) break;
    if (i > 100 || holder.exitCode !== null) {
      holder.kill('SIGKILL');
      throw new Error('unshare -n did not make a network namespace');
    }
    await sleep(50);
  }
  const wrap = (argv: readonly string[]) => ['nsenter', `--net=${path}`, ...argv];
  const servers: Server[] = [];
  const children = new Set<ChildProcess>();
  const sockets = new Set<Socket>();

  return {
    path,
    wrap,
    async waitForPort(port, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      const probe = wrap(['bash', '-c', 'exec 3<>"/dev/tcp/127.0.0.1/$0"', String(port)]);
      while (spawnSync(probe[0]!, probe.slice(1), { stdio: 'ignore' }).status !== 0) {
        if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} inside ${path} after ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async expose(port) {
      const server = createServer((socket) => {
        const argv = wrap(['socat', 'STDIO', `TCP:127.0.0.1:${port}`]);
        const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
        children.add(child);
        sockets.add(socket);
        socket.pipe(child.stdin);
        child.stdout.pipe(socket);
        const end = () => {
          child.kill();
          socket.destroy();
        };
        socket.on('error', end);
        socket.on('close', end);
        child.on('exit', () => {
          children.delete(child);
          sockets.delete(socket);
          socket.end();
        });
        child.stdin.on('error', () => undefined);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      if (holder.exitCode === null && holder.signalCode === null) {
        const exited = new Promise((resolve) => holder.once('exit', resolve));
        holder.kill('SIGKILL');
        await exited;
      }
    },
  };
}
