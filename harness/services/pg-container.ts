import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { postgresBin } from './postgres.js';

/** A container engine's CLI (docker against a test dockerd, podman against a test storage root). */
export interface ContainerCli {
  /** A directory of the engine's own, removed with it (build contexts go there). */
  dir: string;
  /** Runs the CLI with args and returns stdout. */
  cli(args: readonly string[]): Promise<string>;
}

export interface PgContainer {
  name: string;
  password: string;
  /** The port that names the socket /tmp/.s.PGSQL.<port> inside the container (nothing listens on TCP). */
  port: number;
  /** postgres://postgres:pw@localhost:PORT/db?host=/tmp: as seen from inside the container. */
  url(database: string): string;
  /** psql inside the container (`<cli> exec`), as the tools of a `container:` backup run. */
  psql(sql: string, database?: string): Promise<string>;
  /** Removes the container and its data directory. */
  stop(): Promise<void>;
}

export const HOST_BINARIES_IMAGE = 'dk-pg-host-binaries';

/**
 * An image with no files of its own but the root layout (FROM scratch + /bin → usr/bin and so on):
 * the host's /usr is bind-mounted read-only at run time, so the container runs the host's PostgreSQL
 * binaries without any registry pull.
 */
export async function buildHostBinariesImage(engine: ContainerCli): Promise<void> {
  const context = mkdtempSync(join(engine.dir, 'ctx-'));
  const rootfs = join(context, 'rootfs');
  for (const d of ['usr', 'etc', 'tmp', 'run', 'data', 'proc', 'dev', 'sys', 'var']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  for (const link of ['bin', 'lib', 'lib64', 'sbin']) symlinkSync(`usr/${link}`, join(rootfs, link));
  writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY rootfs/ /\nENV PATH=${postgresBin()!}:/usr/bin:/bin\n`);
  try {
    await engine.cli(['build', '-q', '-t', HOST_BINARIES_IMAGE, context]);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/**
 * A PostgreSQL server in a container of the image above (host network, the postgres user's uid), its
 * data directory initialised on the host and bind-mounted; it listens on a socket inside the container
 * only. The image must have been built by buildHostBinariesImage.
 */
export async function startPgContainer(engine: ContainerCli, name: string, password: string): Promise<PgContainer> {
  const bin = postgresBin()!;
  const data = mkdtempSync(join(tmpdir(), 'dk-pgdata-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  const port = 5432;
  const psql = (sql: string, database = 'postgres') =>
    engine.cli([
      'exec',
      '-e',
      `PGPASSWORD=${password}`,
      name,
      ...['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '/tmp', '-U', 'postgres', '-d', database, '-c', sql],
    ]);
  const stop = async () => {
    await engine.cli(['rm', '-f', name]).catch(() => undefined);
    rmSync(data, { recursive: true, force: true });
  };
  try {
    chownSync(data, uid, gid);
    writeFileSync(join(data, 'pw'), `${password}\n`);
    chownSync(join(data, 'pw'), uid, gid);
    const initdb = [join(bin, 'initdb'), '-D', join(data, 'pg'), '-U', 'postgres', '--pwfile', join(data, 'pw'), '-A', 'scram-sha-256'];
    execFileSync('runuser', ['-u', 'postgres', '--', ...initdb, '--no-sync'], { stdio: 'pipe' });
    await engine.cli([
      ...['run', '-d', '--name', name, '--network', 'host', '--user', `${uid}:${gid}`],
      ...['-v', '/usr:/usr:ro', '-v', '/etc/passwd:/etc/passwd:ro', '-v', '/etc/group:/etc/group:ro', '-v', `${data}:/data`],
      HOST_BINARIES_IMAGE,
      ...['postgres', '-D', '/data/pg', '-k', '/tmp', '-c', 'listen_addresses=', '-c', 'fsync=off', '-p', String(port)],
    ]);
    for (let i = 0; ; i += 1) {
      try {
        await psql('SELECT 1');
        break;
      } catch (error) {
        if (i >= 100)
          throw new Error(`postgres in container ${name} did not start: ${await engine.cli(['logs', name]).catch(() => '')}`, {
            cause: error,
          });
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name,
    password,
    port,
    url: (database) => `postgres://postgres:${password}@localhost:${port}/${database}?host=/tmp`,
    psql,
    stop,
  };
}
