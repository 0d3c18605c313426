import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

import { parse, stringify } from 'yaml';

import { ConfigurationError, errorMessage } from '../../core/errors.js';
import { isSafeRelativePath } from '../../core/shell.js';

/**
 * The stack file of `mode: swarm`, checked on the runner before anything remote happens: present,
 * parseable, every service's image pinned by digest and none built (`build:` is not a thing Swarm
 * does). With `swarm-defaults`, a service that omits them gets the rolling-update settings that make
 * an update zero-downtime and self-healing; the file the kit deploys is written beside the user's.
 */

const DIGEST_REF = /^[a-z0-9][a-z0-9._:/-]*@sha256:[0-9a-f]{64}$/;
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** The settings `swarm-defaults: true` adds where a service leaves them out (one key at a time). */
export const SWARM_DEFAULTS = {
  update_config: { order: 'start-first', failure_action: 'rollback', monitor: '10s' },
  rollback_config: { order: 'start-first' },
} as const;

/** The file name, beside the user's stack file, of the stack file the kit deploys (defaults applied). */
export const RENDERED_NAME = '.deploy-kit-stack.yaml';

type Mapping = Record<string, unknown>;

interface Service {
  image?: unknown;
  build?: unknown;
  deploy?: Mapping;
}

interface StackDoc {
  version?: unknown;
  services?: Record<string, Service | null>;
}

export interface CheckedStack {
  /** The stack file's path relative to the release (`compose-file`). */
  file: string;
  /** The file the kit deploys, relative to the release: RENDERED_NAME in the stack file's directory. */
  rendered: string;
  /** Its content: the user's file with the defaults applied. */
  content: string;
  /** Service name → pinned image, as written. */
  images: Record<string, string>;
}

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rendered file's path for a stack file path (same directory, so relative env_file paths still resolve). */
export function renderedPath(file: string): string {
  const dir = posix.dirname(file);
  return dir === '.' ? RENDERED_NAME : `${dir}/${RENDERED_NAME}`;
}

/** Parses and checks a stack file's text; `where` names it in messages. */
export function checkStackText(text: string, where: string): { doc: StackDoc; images: Record<string, string> } {
  let doc: StackDoc;
  try {
    doc = (parse(text) ?? {}) as StackDoc;
  } catch (error) {
    throw new ConfigurationError(`input "compose-file": ${where} is not valid YAML: ${errorMessage(error)}`);
  }
  if (!isMapping(doc)) throw new ConfigurationError(`input "compose-file": ${where} is not a mapping of services`);
  const version = doc.version === undefined ? undefined : String(doc.version);
  if (version !== undefined && !/^3(\.\d+)?$/.test(version)) {
    throw new ConfigurationError(
      `input "compose-file": ${where} says version ${JSON.stringify(version)}; docker stack deploy reads compose file format 3 (version "3.8", or no version)`,
    );
  }
  const services = Object.entries(isMapping(doc.services) ? doc.services : {});
  if (services.length === 0) throw new ConfigurationError(`input "compose-file": ${where} defines no services`);
  const badNames = services.map(([name]) => name).filter((name) => !SERVICE_NAME.test(name));
  if (badNames.length > 0) {
    throw new ConfigurationError(
      `input "compose-file": service names must be letters, digits, "_", "." or "-" (up to 63); got ${badNames.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  const images: Record<string, string> = {};
  const unpinned: string[] = [];
  for (const [name, service] of services) {
    const image = isMapping(service) && typeof service.image === 'string' ? service.image : undefined;
    const build = isMapping(service) && service.build !== undefined;
    if (build || !image || !DIGEST_REF.test(image)) unpinned.push(`${name} (${build ? 'build:' : (image ?? 'no image')})`);
    else images[name] = image;
  }
  if (unpinned.length > 0) {
    throw new ConfigurationError(
      `input "compose-file": every service must use an image pinned by digest (repo@sha256:...) and no build:, so every node runs the same bits; not pinned: ${unpinned.join(', ')}`,
    );
  }
  return { doc, images };
}

/** Adds SWARM_DEFAULTS where a service omits them; returns the names of the services that got any. */
export function applySwarmDefaults(doc: StackDoc): string[] {
  const changed: string[] = [];
  for (const [name, service] of Object.entries(doc.services ?? {})) {
    if (!isMapping(service)) continue;
    const deploy: Mapping = isMapping(service.deploy) ? service.deploy : {};
    let added = false;
    for (const [section, defaults] of Object.entries(SWARM_DEFAULTS)) {
      const current: Mapping = isMapping(deploy[section]) ? (deploy[section] as Mapping) : {};
      for (const [key, value] of Object.entries(defaults)) {
        if (current[key] === undefined) {
          current[key] = value;
          added = true;
        }
      }
      deploy[section] = current;
    }
    service.deploy = deploy;
    if (added) changed.push(name);
  }
  // rollback_config and failure_action: rollback need format 3.7.
  const minor = /^3\.(\d+)$/.exec(String(doc.version ?? ''))?.[1];
  if (changed.length > 0 && (doc.version === '3' || doc.version === 3 || (minor !== undefined && Number(minor) < 7))) doc.version = '3.8';
  return changed;
}

/** Reads and checks the stack file in the release source and renders the file the kit deploys. */
export function checkStackFile(source: string, file: string, defaults: boolean): CheckedStack {
  if (!isSafeRelativePath(file))
    throw new ConfigurationError(`input "compose-file": expected a path relative to the source without "..", got ${JSON.stringify(file)}`);
  const path = join(source, file);
  if (!existsSync(path)) throw new ConfigurationError(`input "compose-file": ${path} does not exist in the release source`);
  const { doc, images } = checkStackText(readFileSync(path, 'utf8'), path);
  if (defaults) applySwarmDefaults(doc);
  // docker stack deploy before Docker 25 refuses a file without a version.
  const content = stringify(doc.version === undefined ? { version: '3.8', ...doc } : doc);
  return { file, rendered: renderedPath(file), content, images };
}
