import type { FrontendProvider, ProviderInputs } from './host.js';
import { providerEntry, requireInput } from './lookup.js';
import { netlifyHost, rollbackNetlify } from './netlify.js';
import { sshStaticHost } from './ssh-static.js';
import { rollbackVercel, vercelHost } from './vercel.js';

const vercelProject = (inputs: ProviderInputs) =>
  requireInput(inputs.project, 'project', 'the Vercel project name or id for provider vercel');
const netlifySite = (inputs: ProviderInputs) =>
  requireInput(inputs.site, 'site', 'the Netlify site id (or name.netlify.app) for provider netlify');

/** Every frontend provider, by the `provider` input: where a built frontend can go and how it comes back. */
export const FRONTEND_PROVIDERS: Readonly<Record<string, FrontendProvider>> = {
  vercel: {
    needsToken: true,
    host: (inputs) => vercelHost(inputs, vercelProject(inputs)),
    rollback: (inputs, to, ctx) =>
      rollbackVercel({ token: inputs.token, project: vercelProject(inputs), team: inputs.team, apiUrl: inputs['api-url'] }, to, ctx),
  },
  netlify: {
    needsToken: true,
    host: (inputs) => netlifyHost(inputs, netlifySite(inputs)),
    rollback: (inputs, to, ctx) => rollbackNetlify({ token: inputs.token, site: netlifySite(inputs), apiUrl: inputs['api-url'] }, to, ctx),
  },
  ssh: { needsToken: false, host: sshStaticHost },
};

/** The provider for a `provider` input; an unknown name fails with the known ones. */
export function frontendProvider(name: string): FrontendProvider {
  return providerEntry(FRONTEND_PROVIDERS, name, 'unknown frontend provider');
}
