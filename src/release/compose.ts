import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { ConfigurationError, errorMessage } from '../core/errors.js';
import { choice, pattern, text } from '../core/inputs.js';
import { isSafeRelativePath } from '../core/shell.js';
import { shellCommand } from '../core/shell.js';
import { composeProject } from './compose-project.js';

/**
 * `mode: compose`: the release is a compose file (+ env files) whose images are pinned by digest.
 * It rides the release model unchanged: `compose pull` is part of the before-switch step (a failed
 * pull leaves current untouched), `compose up -d --wait` is the restart command (so a revert or a
 * rollback re-ups the previous release's compose file). One project name across releases, so each
 * `up` replaces the previous release's containers instead of starting a second copy.
 */

export const composeInputs = {
  mode: choice(['release', 'compose'] as const, 'release'),
  'compose-file': text('compose.yaml'),
  'compose-project': pattern(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a compose project name of lower-case letters, digits, "_" and "-"'),
};

export interface ComposeOptions {
  file: string;
  project: string;
}

/**
 * docker compose where docker is there, podman compose otherwise. One line: restart-command runs
 * each line as its own command, and the compose up is one of them.
 */
const PICK_COMPOSE = [
  'if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then dc=(docker compose)',
  'elif command -v podman >/dev/null 2>&1; then dc=(podman compose)',
  'else echo "neither docker compose nor podman compose is installed on this host" >&2; exit 127; fi',
].join('; ');

function composeCommand(options: ComposeOptions, args: readonly string[]): string {
  return `${PICK_COMPOSE}; "\${dc[@]}" ${shellCommand(['--project-name', options.project, '--file', options.file, ...args])}`;
}

function composePullCommand(options: ComposeOptions): string {
  return composeCommand(options, ['pull', '--quiet']);
}

function composeUpCommand(options: ComposeOptions): string {
  return composeCommand(options, ['up', '--detach', '--wait', '--remove-orphans']);
}

/** Checks the compose file in the source: present, parseable, and every service's image pinned by digest. */
export function checkComposeFile(source: string, file: string): void {
  if (!isSafeRelativePath(file))
    throw new ConfigurationError(`input "compose-file": expected a path relative to the source without "..", got ${JSON.stringify(file)}`);
  const path = join(source, file);
  if (!existsSync(path)) throw new ConfigurationError(`input "compose-file": ${path} does not exist in the release source`);
  let doc: { services?: Record<string, { image?: string; build?: unknown }> };
  try {
    doc = (parse(readFileSync(path, 'utf8')) ?? {}) as typeof doc;
  } catch (error) {
    throw new ConfigurationError(`input "compose-file": ${path} is not valid YAML: ${errorMessage(error)}`);
  }
  const services = Object.entries(doc.services ?? {});
  if (services.length === 0) throw new ConfigurationError(`input "compose-file": ${path} defines no services`);
  const unpinned = services
    .filter(([, s]) => !s?.image || !/@sha256:[0-9a-f]{64}$/.test(s.image))
    .map(([name, s]) => `${name} (${s?.image ?? (s?.build ? 'build:' : 'no image')})`);
  if (unpinned.length > 0) {
    throw new ConfigurationError(
      `input "compose-file": every service must use an image pinned by digest (repo@sha256:...), so a release always runs the same bits; not pinned: ${unpinned.join(', ')}`,
    );
  }
}

/** The before-switch and restart commands of a compose release; the user's own commands run after ours. */
export function composeCommands(
  options: ComposeOptions,
  user: { beforeSwitch?: string; restartCommand?: string },
): { beforeSwitch: string; restartCommand: string } {
  const pull = composePullCommand(options);
  const up = composeUpCommand(options);
  return {
    beforeSwitch: user.beforeSwitch ? `${pull}\n${user.beforeSwitch}` : pull,
    restartCommand: user.restartCommand ? `${up}\n${user.restartCommand}` : up,
  };
}

/** Turns a release-mode config into a compose one (backend and rollback); unchanged in release mode. */
export function applyComposeMode<C extends { root: string; source?: string; beforeSwitch?: string; restartCommand?: string }>(
  config: C,
  inputs: { mode: 'release' | 'compose'; 'compose-file': string; 'compose-project'?: string },
): C {
  if (inputs.mode !== 'compose') return config;
  const options = { file: inputs['compose-file'], project: composeProject(config.root, inputs['compose-project']) };
  if (config.source !== undefined) checkComposeFile(config.source, options.file);
  const commands = composeCommands(options, config);
  // A rollback has no before-switch step; its restart re-ups the older release's compose file.
  return config.source === undefined ? { ...config, restartCommand: commands.restartCommand } : { ...config, ...commands };
}
