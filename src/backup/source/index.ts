import type { RunContext } from '../../core/action.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import { remoteEndpoint, tunnelTo } from '../../db/tunnel.js';
import { openFilesSource } from '../files/source.js';
import { hostPlace } from './place.js';
import { placedEngine } from './placed-engine.js';
import { checkSourceInputs, connectSource, type DataSource, type SourceInputs } from './session.js';

export { checkSourceInputs, connectSource, type DataSource, type SourceInputs, sourceInputs } from './session.js';

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
  const spec = inputs['source-host'];
  if (!spec) return { ...opened, description: `${opened.engine.name} tools on the runner`, close: async () => undefined };
  const tunnelled = !(opened.db.engine === 'sqlite' && inputs['dump-on'] === 'host');
  if (tunnelled) remoteEndpoint(opened.db); // a URL the tunnel cannot reach fails before connecting
  const session = await connectSource({ ...inputs, 'source-host': spec }, ctx);
  try {
    const tunnel = tunnelled ? await tunnelTo(session, opened.db) : undefined;
    const close = async () => {
      await tunnel?.forward.close();
      await session.close();
    };
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
    const engine = placedEngine(opened.engine, hostPlace(session), opened.db);
    return { db, engine, session, close, description: `${opened.engine.name} tools on ${session.label}, output streamed back over SSH` };
  } catch (error) {
    await session.close();
    throw error;
  }
}
