import type { RunContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';

/**
 * Tells a monitor (healthchecks.io, UptimeRobot, Cronitor heartbeats) how the backup went with a GET.
 * The URL holds the monitor's secret, so it is masked as an input and never printed; a monitor that
 * is down gets the http client's retries and then a warning, and never changes the backup's result.
 */
export async function sendHeartbeat(url: string | undefined, outcome: 'success' | 'failure', ctx: RunContext): Promise<void> {
  if (!url) return;
  try {
    const response = await ctx.http.request({ method: 'GET', url, timeoutMs: 10_000 });
    if (response.status >= 400)
      ctx.logger.warning(`the ${outcome} heartbeat returned HTTP ${response.status}; the backup result is unchanged`);
    else ctx.logger.info(`sent the ${outcome} heartbeat`);
  } catch (error) {
    // The message may quote the URL; the runner masks it, and the redaction registered for secret inputs covers other sinks.
    ctx.logger.warning(`could not send the ${outcome} heartbeat (${errorMessage(error)}); the backup result is unchanged`);
  }
}
