import { dirname } from 'node:path';

import type { RunContext } from '../../core/action.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import { remoteEndpoint, tunnelTo } from '../../db/tunnel.js';
import type { SourceSession } from '../../ssh/forward.js';
import { openFilesSource } from '../files/source.js';
import { cliControl } from './cli-control.js';
import { containerPlace, hostPlace, runnerPlace } from './place.js';
import { placedEngine } from './placed-engine.js';
import { checkSourceInputs, connectSource, type DataSource, sourceComposeProject, type SourceInputs } from './session.js';
import { sqliteHostControl } from './sqlite-host.js';

export { checkSourceInputs, connectSource, type DataSource, sourceComposeProject, type SourceInputs, sourceInputs } from './session.js';

/**
 * No source-host: the tools run here against database-url. With source-host, the host and port in
 * database-url are as seen from that machine: dump-on: runner forwards a local port to it on the
 * one connection; dump-on: host runs the dump tool there and streams its output back (the small
 * control queries still go through the forward).
 */
export async function openSource(
  inputs: SourceInputs,
  opened: { db: DatabaseTarget; engine: DumpEngine } | undefined,
  ctx: RunContext,
): Promise<DataSource> {
  checkSourceInputs(inputs, opened);
  if (!opened) return openFilesSource(inputs, ctx);
  if (inputs.container) return openContainerSource(inputs, { ...inputs, container: inputs.container }, opened, ctx);
  const spec = inputs['source-host'];
  if (!spec) return { ...opened, description: `${opened.engine.name} tools on the runner`, close: async () => undefined };
  const tunnelled = !(opened.db.engine === 'sqlite' && inputs['dump-on'] === 'host');
  if (tunnelled) remoteEndpoint(opened.db); // a URL the tunnel cannot reach fails before connecting
  // The runner's tool probes (pg_dump --version, ...) run while the connection opens; checkTools takes their answer.
  if (inputs['dump-on'] === 'runner') void opened.engine.clientTools?.(ctx);
  const session = await connectSource({ ...inputs, 'source-host': spec }, ctx);
  try {
    const tunnel = tunnelled ? await forwardTo(session, opened.db) : undefined;
    // Ending the master ends its forwards too: no separate -O cancel round trip.
    const close = () => session.close();
    const db = tunnel?.db ?? opened.db;
    if (inputs['dump-on'] === 'runner') {
      return {
        db,
        engine: opened.engine,
        session,
        close,
        description: `${opened.engine.name} tools on the runner, through a forward to ${session.label}`,
      };
    }
    const place = hostPlace(session);
    const control = opened.db.engine === 'sqlite' ? sqliteHostControl(place, opened.db) : {};
    const engine = placedEngine(opened.engine, place, opened.db, control);
    return {
      db,
      engine,
      runnerEngine: opened.engine,
      session,
      close,
      description: `${opened.engine.name} tools on ${session.label}, output streamed back over SSH`,
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * The forward to the database: a PostgreSQL socket on the host gets a socket on the runner too (libpq
 * and node-postgres take its directory as host), the rest a local TCP port.
 */
async function forwardTo(session: SourceSession, db: DatabaseTarget): Promise<{ db: DatabaseTarget }> {
  const endpoint = remoteEndpoint(db);
  if (db.engine !== 'postgres' || !('socket' in endpoint)) return tunnelTo(session, db);
  // Its path (<dir>/fw-XXXXXX/.s.PGSQL.<port>) is shorter than the master's ControlPath (<dir>/cm-<40 hex>): within the length limit whenever the connection is.
  const { path } = await session.forwardSocket(endpoint, `.s.PGSQL.${db.port}`);
  const params = { ...db.params };
  delete params.host;
  return { db: { ...db, host: dirname(path), params } };
}

/**
 * The tools run inside the container (`docker exec -i`, or `docker compose -p <project> exec -T` for
 * compose:<service>; podman where docker is absent), on source-host or on the runner; database-url is
 * as seen from inside the container, and the control queries use the container's psql / mariadb.
 */
async function openContainerSource(
  inputs: SourceInputs,
  ref: { container: string },
  opened: { db: DatabaseTarget; engine: DumpEngine },
  ctx: RunContext,
): Promise<DataSource> {
  const spec = inputs['source-host'];
  const session = spec ? await connectSource({ ...inputs, 'source-host': spec }, ctx) : undefined;
  const place = containerPlace(session ? hostPlace(session) : runnerPlace(ctx), {
    container: ref.container,
    project: sourceComposeProject(inputs),
  });
  const engine = placedEngine(opened.engine, place, opened.db, cliControl(opened.engine, place, opened.db));
  return {
    db: opened.db,
    engine,
    runnerEngine: opened.engine,
    session,
    description: `${opened.engine.name} tools in ${place.label}`,
    close: async () => session?.close(),
  };
}
