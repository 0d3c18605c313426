import type { RunContext } from '../../core/action.js';
import { ConfigurationError, OperationalError } from '../../core/errors.js';
import { HttpError, type HttpResponse } from '../../core/http.js';
import { maskSecret } from '../../core/logger.js';

/**
 * Deploy hook mode (no API key): one request to the service's hook URL, with `ref` (a commit) or
 * `imgURL` (an image) appended. Render answers `{deploy: {id}}`; without a key the kit cannot watch it.
 */
export async function triggerDeployHook(hookUrl: string, source: { commit?: string; image?: string }, ctx: RunContext): Promise<string> {
  let url: URL;
  try {
    url = new URL(hookUrl);
  } catch {
    throw new ConfigurationError('input "deploy-hook-url": expected the URL Render shows under Settings → Deploy Hook');
  }
  maskSecret(ctx.logger, hookUrl);
  const key = url.searchParams.get('key');
  if (key) maskSecret(ctx.logger, key);
  if (source.commit) url.searchParams.set('ref', source.commit);
  if (source.image) url.searchParams.set('imgURL', source.image);
  let response: HttpResponse;
  try {
    response = await ctx.http.request({ method: 'POST', url: url.toString() });
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403 || error.status === 404)) {
      throw new ConfigurationError(
        `input "deploy-hook-url": Render refused the hook (${error.status}); copy it again from the service settings`,
      );
    }
    throw error;
  }
  const id = response.json<{ deploy?: { id?: string } }>().deploy?.id;
  if (!id) throw new OperationalError(`the deploy hook answered ${response.status} without a deploy id`);
  return id;
}
