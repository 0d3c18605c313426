import type { RunContext } from '../core/action.js';
import { digitalOceanConfig, digitalOceanDeployInputs } from './digitalocean/config.js';
import { DigitalOceanHost } from './digitalocean/host.js';
import { flyConfig, flyInputs, pinnedImage } from './fly/config.js';
import { FlyHost } from './fly/host.js';
import { runHostedDeploy, runHostedRollback } from './hosted.js';

/** The hosted backends beside Render that share one runner (src/backend/hosted.ts): name → host. */
export const HOSTED_PROVIDERS = ['fly', 'digitalocean'] as const;
export type HostedProvider = (typeof HOSTED_PROVIDERS)[number];

export const isHostedProvider = (name: string): name is HostedProvider => (HOSTED_PROVIDERS as readonly string[]).includes(name);

/** Their inputs, for the backend schema (rollback takes the same but `force-build`). */
export const hostedInputs = { ...flyInputs, ...digitalOceanDeployInputs };

type HostedInputs = Parameters<typeof flyConfig>[0] &
  Parameters<typeof digitalOceanConfig>[0] & { image?: string; 'process-group'?: string };

const MACHINE_COLUMNS = ['machine', 'region', 'from', 'to', 'status'];

/** backend with provider fly or digitalocean; every input is checked before the first request. */
export function runHostedBackend(provider: HostedProvider, inputs: HostedInputs, ctx: RunContext): Promise<void> {
  if (provider === 'fly') {
    const host = new FlyHost(flyConfig(inputs, ctx), pinnedImage('image', inputs.image));
    return runHostedDeploy(host, { title: `Fly ${inputs.app}`, source: inputs.image!, rowHeaders: MACHINE_COLUMNS }, ctx);
  }
  const config = digitalOceanConfig(inputs, ctx);
  const source = config.forceBuild ? 'latest source (forced rebuild)' : 'latest source';
  return runHostedDeploy(new DigitalOceanHost(config), { title: `DigitalOcean app ${config.appId}`, source }, ctx);
}

/** rollback with provider fly or digitalocean: `to` is `previous`, an image (fly) or a deployment id (digitalocean). */
export function runHostedBackendRollback(provider: HostedProvider, inputs: HostedInputs & { to: string }, ctx: RunContext): Promise<void> {
  if (provider === 'fly') {
    const host = new FlyHost(flyConfig(inputs, ctx));
    return runHostedRollback(host, inputs.to, { title: `Fly ${inputs.app}`, source: inputs.to, rowHeaders: MACHINE_COLUMNS }, ctx);
  }
  const config = digitalOceanConfig(inputs, ctx);
  return runHostedRollback(new DigitalOceanHost(config), inputs.to, { title: `DigitalOcean app ${config.appId}`, source: inputs.to }, ctx);
}
