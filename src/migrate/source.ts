import { connectSource } from '../backup/source/session.js';
import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { tunnelTo, urlThroughForward } from '../db/tunnel.js';
import type { DatabaseUrl } from '../db/url.js';
import type { SshConnectionInputs } from '../ssh/inputs.js';

/**
 * With source-host, the database in database-url is as seen from that machine: the runner-side
 * tools (the built-in SQL runner, an app's tool given DATABASE_URL) reach it through an SSH local
 * forward on one pinned connection, open for the length of `fn`.
 */
export async function throughSource<T>(
  inputs: Omit<SshConnectionInputs, 'transport' | 'hosts' | 'path'> & { 'source-host'?: string },
  url: DatabaseUrl,
  ctx: RunContext,
  fn: (url: DatabaseUrl) => Promise<T>,
): Promise<T> {
  const spec = inputs['source-host'];
  if (!spec) return fn(url);
  if (url.engine === 'sqlite')
    throw new ConfigurationError('input "source-host": a SQLite database is a file on that machine; run the migration there (where: ssh)');
  const session = await connectSource({ ...inputs, 'source-host': spec }, ctx);
  try {
    const { db, forward } = await tunnelTo(session, url);
    ctx.logger.info(`reaching ${url.display} through a forward to ${session.label} (127.0.0.1:${forward.port} here)`);
    const raw = urlThroughForward(url.raw, forward);
    return await fn({ ...db, raw });
  } finally {
    await session.close();
  }
}
