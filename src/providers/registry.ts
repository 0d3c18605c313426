import type { FrontendInputs } from '../frontend/inputs.js';
import type { FrontendHost } from './host.js';
import { providerEntry } from './lookup.js';
import { netlifyHost } from './netlify.js';
import { sshStaticHost } from './ssh-static.js';
import { vercelHost } from './vercel.js';

/** Where a built frontend can go, by the `provider` input. */
export const FRONTEND_HOSTS: Readonly<Record<string, (inputs: FrontendInputs) => FrontendHost>> = {
  vercel: vercelHost,
  netlify: netlifyHost,
  ssh: sshStaticHost,
};

/** The host for a provider name; an unknown name fails with the known ones. */
export function frontendHost(name: string, inputs: FrontendInputs): FrontendHost {
  return providerEntry(FRONTEND_HOSTS, name, 'unknown frontend provider')(inputs);
}
