/**
 * The runner's workflow commands, written as the runner reads them
 * (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions): `::name k=v::msg`
 * lines on stdout, and `name<<delimiter` blocks appended to the GITHUB_OUTPUT / GITHUB_STATE /
 * GITHUB_STEP_SUMMARY files. The same encoding as @actions/core 3's command.js and file-command.js;
 * not that package itself, because its index loads the OIDC client at import (with it
 * @actions/http-client, undici, @actions/exec and @actions/io): about a quarter of every bundle's
 * start-up, for an ID token no action here asks for.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

import { ConfigurationError } from '../core/errors.js';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(name: string, properties: Record<string, string | number | undefined>, message = ''): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

function appendTo(file: 'OUTPUT' | 'STATE' | 'STEP_SUMMARY', text: string): void {
  const path = process.env[`GITHUB_${file}`];
  if (!path)
    throw new ConfigurationError(`GITHUB_${file} is not set: the runner sets it for every step (is this running outside Actions?)`);
  appendFileSync(path, text, 'utf8');
}

/**
 * `name<<delimiter` … `delimiter`, with a fresh delimiter the value cannot contain; without the file
 * (an old runner, or a run outside Actions), the stdout command it replaced, as @actions/core does.
 */
function keyValue(file: 'OUTPUT' | 'STATE', legacy: string, name: string, value: string): void {
  if (!process.env[`GITHUB_${file}`]) return command(legacy, { name }, value);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendTo(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`);
}

export const getInput = (name: string): string => (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
export const getState = (name: string): string => process.env[`STATE_${name}`] ?? '';
export const setOutput = (name: string, value: string): void => keyValue('OUTPUT', 'set-output', name, value);
export const saveState = (name: string, value: string): void => keyValue('STATE', 'save-state', name, value);
export const appendSummary = (markdown: string): void => appendTo('STEP_SUMMARY', markdown);

export const setSecret = (secret: string): void => command('add-mask', {}, secret);
export const info = (message: string): void => void process.stdout.write(message + EOL);
export const debug = (message: string): void => command('debug', {}, message);

function annotation(kind: 'error' | 'warning' | 'notice', message: string, at: AnnotationProperties): void {
  command(kind, { title: at.title, file: at.file, line: at.startLine, col: at.startColumn }, message);
}
export const error = (message: string, at: AnnotationProperties = {}): void => annotation('error', message, at);
export const warning = (message: string, at: AnnotationProperties = {}): void => annotation('warning', message, at);
export const notice = (message: string, at: AnnotationProperties = {}): void => annotation('notice', message, at);

export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  command('group', {}, name);
  try {
    return await fn();
  } finally {
    command('endgroup', {});
  }
}
