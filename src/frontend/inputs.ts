import { z } from 'zod';

import { bool, choice, duration, httpUrl, optionalText, pattern, text } from '../core/inputs.js';
import { sshConnectionInputs } from '../ssh/inputs.js';

export const frontendSchema = z.object({
  provider: choice(['vercel', 'netlify', 'ssh'] as const),
  dir: text('dist'),
  'build-command': optionalText(),
  environment: choice(['auto', 'preview', 'production'] as const, 'auto'),
  token: optionalText(),
  project: pattern(/^[A-Za-z0-9._-]{1,100}$/, 'a Vercel project name or id (letters, digits, ".", "_", "-")'),
  team: pattern(/^[A-Za-z0-9._-]{1,100}$/, 'a Vercel team id (team_...)'),
  site: pattern(/^[A-Za-z0-9._-]{1,200}$/, 'a Netlify site id or name (letters, digits, ".", "_", "-")'),
  alias: pattern(/^[A-Za-z0-9.-]{1,253}$/, 'a domain name such as pr-12.example.com'),
  url: httpUrl(),
  'github-token': optionalText(),
  comment: bool(true),
  deployment: bool(true),
  timeout: duration('10m'),
  'api-url': httpUrl(),
  'on-missing-credentials': choice(['auto', 'fail', 'skip'] as const, 'auto'),
  ...sshConnectionInputs,
});

export type FrontendInputs = z.output<typeof frontendSchema>;

export const FRONTEND_SECRET_INPUTS = ['token', 'github-token', 'ssh-key'] as const;
