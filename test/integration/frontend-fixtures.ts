import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeSource } from '../services/versioned-app.js';

export const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const PR_SHA = 'feedfacefeedfacefeedfacefeedfacefeedface';

/** A built SPA of `count` files plus index.html. */
export function makeSite(count = 5, version = 'v1'): string {
  const files: Record<string, string> = { 'index.html': `<html>${version}</html>` };
  for (let i = 0; i < count; i += 1) files[`assets/chunk-${i}.js`] = `console.log(${i});\n`;
  return makeSource(files);
}

function writeEvent(payload: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dk-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

const repository = { full_name: 'acme/shop', default_branch: 'main' };

/** Runner env for a push to a branch (main = the default branch). */
export function pushEvent(branch = 'main'): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: `refs/heads/${branch}`,
    GITHUB_SHA: SHA,
    GITHUB_EVENT_PATH: writeEvent({ ref: `refs/heads/${branch}`, repository }),
  };
}

/** Runner env for a pull request, from the same repository or from a fork. */
export function prEvent(number: number, options: { fork?: boolean } = {}): Record<string, string> {
  const head = { sha: PR_SHA, ref: 'feature/x', repo: { full_name: options.fork ? 'mallory/shop' : 'acme/shop' } };
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REF: `refs/pull/${number}/merge`,
    GITHUB_SHA: SHA,
    GITHUB_EVENT_PATH: writeEvent({
      number,
      pull_request: { number, head, base: { ref: 'main', repo: { full_name: 'acme/shop' } } },
      repository,
    }),
  };
}
