import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

interface ActionMetadata {
  description?: string;
  inputs?: Record<string, { description?: string; default?: string }>;
}

/**
 * The package root: the first directory above this module holding the root action.yml. The same
 * walk works from src/runtime/ (tests, tsx) and from dist/cli/ in an installed package.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    if (existsSync(join(dir, 'action.yml')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('deploy-kit: cannot find the package root (action.yml) above the CLI');
}

/** The version in the package's own package.json, as `deploy-kit --version` prints it. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** `deploy-kit <action> --help`: the inputs as action.yml documents them (`deploy` is the root action.yml). */
export function actionHelp(name: string): string {
  const file = join(packageRoot(), name === 'deploy' ? 'action.yml' : `${name}/action.yml`);
  const metadata = parse(readFileSync(file, 'utf8')) as ActionMetadata;
  const lines = [`usage: deploy-kit ${name} --input value ...`, metadata.description ?? '', '', 'inputs:'];
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    const fallback = spec.default === undefined || spec.default === '' ? '' : ` (default: ${spec.default})`;
    lines.push(`  --${input}${fallback}`, `      ${(spec.description ?? '').trim().replace(/\s*\n\s*/g, ' ')}`);
  }
  lines.push('', `--<input>-file PATH reads a value from a file; DEPLOY_KIT_<INPUT> in the environment sets one.`);
  return `${lines.join('\n')}\n`;
}
