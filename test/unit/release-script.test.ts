import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ROOT } from '../../harness/services/runner.js';
import { release as releaseIn } from '../../scripts/release.mjs';

/**
 * scripts/release.mjs as the release workflow runs it, against a real bare repository standing in
 * for GitHub: what users get from `@v1` is whatever the remote's v1 tag points at.
 */

const SCRIPT = join(ROOT, 'scripts', 'release.mjs');
/** The fixture's "build": dist/index.js is src/index.js with a banner, like ncc's output. */
const BUILD = `{ echo '// built'; cat src/index.js; } > dist/index.js`;
const CHANGELOG = `# Changelog

## [Unreleased]

## [2.0.0] - 2026-12-03
### Changed
- Inputs renamed.

## [1.2.0] - 2026-12-02
### Added
- The release workflow.

## [1.0.1] - 2026-12-04
### Fixed
- A fix.

## [1.0.0] - 2026-11-24
### Added
- First release.

[1.2.0]: https://github.com/OWNER/deploy-kit/compare/v1.0.0...v1.2.0
`;

/** Built once: a repository with v1.0.0 released (v1 on the first commit) and a second commit
 * pushed; each test works on a copy (the clone's remote is a relative path, so a copy is whole). */
let template: string;
let dir: string;
let remote: string;
let work: string;
let first: string;
let second: string;

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** The remote's tags (all lightweight, so each names its commit), as users resolve them. */
function remoteTags(): Record<string, string> {
  const lines = git(dir, '--git-dir', remote, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/tags').split('\n');
  return Object.fromEntries(lines.filter(Boolean).map((line) => line.split(' ')));
}

function commit(source: string, message: string): string {
  writeFileSync(join(work, 'src', 'index.js'), source);
  writeFileSync(join(work, 'dist', 'index.js'), `// built\n${source}`);
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', message);
  return git(work, 'rev-parse', 'HEAD');
}

/** The script's function in-process (a node start per call would dominate the test's time). */
const release = (version: string, options: { check?: string; notesOut?: string } = {}) =>
  releaseIn({ cwd: work, version, build: BUILD, check: 'true', ...options });

const at = (root: string) => ({ remote: join(root, 'remote.git'), work: join(root, 'work') });

beforeAll(() => {
  template = mkdtempSync(join(tmpdir(), 'release-script-'));
  ({ remote, work } = at(template));
  git(template, 'init', '--quiet', '--bare', remote);
  git(template, 'clone', '--quiet', remote, work);
  git(work, 'remote', 'set-url', 'origin', '../remote.git');
  git(work, 'config', 'user.name', 'Release Test');
  git(work, 'config', 'user.email', 'release@example.invalid');
  mkdirSync(join(work, 'src'));
  mkdirSync(join(work, 'dist'));
  writeFileSync(join(work, 'CHANGELOG.md'), CHANGELOG);
  first = commit('export const version = 1;\n', 'first');
  git(work, 'push', '--quiet', 'origin', 'HEAD');
  release('1.0.0');
  second = commit('export const version = 2;\n', 'second');
  git(work, 'push', '--quiet', 'origin', 'HEAD');
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-script-'));
  cpSync(template, dir, { recursive: true });
  ({ remote, work } = at(dir));
});

afterAll(() => {
  rmSync(template, { recursive: true, force: true });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/release.mjs against a real bare repository', () => {
  it('tags v1.2.0 and moves v1 to it, writing the notes from the changelog section', () => {
    expect(remoteTags()).toEqual({ 'v1.0.0': first, v1: first });
    const notes = join(dir, 'notes.md');
    expect(release('v1.2.0', { notesOut: notes })).toEqual({ tag: 'v1.2.0', major: 'v1', commit: second });
    expect(remoteTags()).toEqual({ 'v1.0.0': first, 'v1.2.0': second, v1: second });
    expect(readFileSync(notes, 'utf8')).toBe('### Added\n- The release workflow.\n');
  });

  it('leaves v1 where it was when the check fails, and exits 1 with the reason (as the workflow runs it)', () => {
    const run = spawnSync(process.execPath, [SCRIPT, '1.2.0', '--build', BUILD, '--check', 'exit 3'], { cwd: work, encoding: 'utf8' });
    expect(run.stderr).toContain('release: the check failed (exit 3); no tag was moved');
    expect(run.status).toBe(1);
    expect(remoteTags()).toEqual({ 'v1.0.0': first, v1: first });
  });

  it('refuses a version not above the latest release', () => {
    expect(() => release('0.9.0')).toThrow('v0.9.0 is not above the latest release v1.0.0');
    expect(() => release('1.0.0')).toThrow(`v1.0.0 already exists at ${first}, not at HEAD ${second}`);
    expect(remoteTags()).toEqual({ 'v1.0.0': first, v1: first });
  });

  it('creates v2 for v2.0.0 and leaves v1 on the last 1.x release', () => {
    release('1.2.0');
    const third = commit('export const version = 3;\n', 'third');
    release('2.0.0');
    expect(remoteTags()).toEqual({ 'v1.0.0': first, 'v1.2.0': second, v1: second, 'v2.0.0': third, v2: third });
  });

  it('releases a fix for v1 from a maintenance branch after v2.0.0, moving v1 only', () => {
    release('2.0.0');
    git(work, 'checkout', '--quiet', '-b', 'release/v1', first);
    const fix = commit('export const version = 1.1;\n', 'fix for 1.x');
    release('1.0.1');
    expect(remoteTags()).toEqual({ 'v1.0.0': first, 'v1.0.1': fix, v1: fix, 'v2.0.0': second, v2: second });
  });

  it('refuses a dirty tree', () => {
    writeFileSync(join(work, 'src', 'index.js'), 'export const version = "edited";\n');
    expect(() => release('1.2.0')).toThrow(/the working tree has changes that are not committed[^]*src\/index\.js/);
    expect(remoteTags()).toEqual({ 'v1.0.0': first, v1: first });
  });

  it('refuses a tree whose dist/ differs from a rebuild', () => {
    writeFileSync(join(work, 'src', 'index.js'), 'export const version = 3;\n');
    git(work, 'commit', '--quiet', '-am', 'source changed, dist not rebuilt');
    expect(() => release('1.2.0')).toThrow(/dist\/ differs from a rebuild of the sources[^]*dist\/index\.js/);
    expect(remoteTags()).toEqual({ 'v1.0.0': first, v1: first });
  });

  it('refuses a version without a changelog section, and a malformed version', () => {
    expect(() => release('1.3.0')).toThrow('CHANGELOG.md has no "## [1.3.0]" section with notes');
    expect(() => release('1.3')).toThrow('"1.3" is not a version of the form 1.2.3');
    expect(remoteTags()).toEqual({ 'v1.0.0': first, v1: first });
  });

  it('completes a release whose tag was pushed first, and can run again (a re-run workflow)', () => {
    git(work, 'tag', 'v1.2.0');
    git(work, 'push', '--quiet', 'origin', 'v1.2.0');
    release('1.2.0');
    release('1.2.0');
    expect(remoteTags()).toEqual({ 'v1.0.0': first, 'v1.2.0': second, v1: second });
  });
});
