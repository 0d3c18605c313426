import type { RunContext } from '../../core/action.js';
import { stamp } from '../catalog.js';
import { hostPlace, type Place, runnerPlace } from '../source/place.js';
import { connectSource, type DataSource, type SourceInputs } from '../source/session.js';
import { filesEngine, filesTarget } from './engine.js';
import { filesName, filesPaths } from './inputs.js';

/** A files backup: tar of `paths` on source-host over the pinned connection, or on the runner. */
export async function openFilesSource(inputs: SourceInputs, ctx: RunContext): Promise<DataSource> {
  const spec = inputs['source-host'];
  const paths = filesPaths(inputs.paths, { remote: Boolean(spec), workspace: ctx.env.workspace });
  const name = filesName(inputs);
  const session = spec ? await connectSource({ ...inputs, 'source-host': spec }, ctx) : undefined;
  const place: Place = session ? hostPlace(session) : runnerPlace(ctx);
  const engine = filesEngine(place, paths, inputs.exclude ?? [], stamp(new Date(ctx.clock.now())));
  return {
    db: filesTarget(name),
    engine,
    files: { engine, place },
    manifestExtra: () => ({ files: engine.stats() }),
    session,
    description: `files ${paths.map((p) => p.path).join(', ')} with tar on ${place.label}`,
    close: async () => session?.close(),
  };
}
