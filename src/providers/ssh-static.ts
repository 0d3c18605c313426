import { parseHealthExpect } from '../core/health.js';
import { deploy, type DeployConfig, type DeployReport } from '../release/deploy.js';
import { lockConfig } from '../release/lock.js';
import { defaultReleaseId } from '../release/names.js';
import { connectionConfig } from '../ssh/inputs.js';
import type { FrontendHost, ProviderInputs } from './host.js';

const KEEP_RELEASES = 5;

/**
 * Ships the built site as a release with backend's release model (lock, rsync with --link-dest,
 * atomic switch, keep N, history): an nginx on the host serves <path>/current.
 */
export function sshStaticHost(inputs: ProviderInputs): FrontendHost {
  const connection = connectionConfig(inputs);
  return {
    provider: 'ssh',
    site: connection.root,
    needsDigests: false,
    async publish(request, ctx, progress) {
      const releaseId = defaultReleaseId(ctx.clock.now(), request.sha);
      const config: DeployConfig = {
        ...connection,
        releaseId,
        source: request.dir,
        exclude: [],
        sharedDirs: [],
        sharedFiles: [],
        keepReleases: KEEP_RELEASES,
        health: { url: inputs.url, expect: parseHealthExpect(''), timeoutMs: Math.min(request.timeoutMs, 60_000) },
        lock: lockConfig(inputs),
        maxParallel: 1,
      };
      progress.providerDeploymentId = releaseId;
      progress.url = inputs.url;
      const report: DeployReport = { release: releaseId, hosts: [] };
      try {
        await deploy(config, ctx, report);
      } finally {
        if (report.hosts.length > 0)
          progress.state = report.hosts.map((h) => `${h.host}: ${h.status}${h.upload ? ` (${h.upload})` : ''}`).join('; ');
      }
    },
  };
}
