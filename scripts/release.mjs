// Tags a release: `node scripts/release.mjs <version> [--remote origin] [--build CMD] [--check CMD]
// [--notes-out FILE]`. Every check runs before any tag moves, so a refusal leaves the remote as it was:
// a semver version above the releases of its major (a new major: above all), or the tag already on
// HEAD as when a pushed tag starts the workflow, a clean tree, a CHANGELOG.md section for the version, dist/ equal to a rebuild, the
// check command green. Then it tags HEAD vX.Y.Z, moves the major tag vX there and pushes both.
// Running it again on the same commit is harmless, so a failed workflow can be re-run.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

class Refusal extends Error {}

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const tagCommit = (cwd, tag) => {
  try {
    return git(cwd, 'rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
  } catch {
    return undefined;
  }
};

export function parseVersion(text) {
  const match = VERSION.exec(text);
  if (!match) throw new Refusal(`"${text}" is not a version of the form 1.2.3 (or v1.2.3)`);
  return match.slice(1).map(Number);
}

const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The body of `## [X.Y.Z]` in a Keep a Changelog file, up to the next `## ` heading. */
export function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`).test(line));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  const body = lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
  // Link references ([1.2.0]: https://...) belong to the file's footer, not to the notes.
  return body.replace(/^\[[^\]]+\]: .*$/gm, '').trim() || undefined;
}

/** Runs a shell command line given by the maintainer (the workflow's build or check step). */
function runCommand(cwd, what, command) {
  try {
    execFileSync('bash', ['-c', command], { cwd, stdio: 'inherit' });
  } catch {
    throw new Refusal(`${what} failed (${command}); no tag was moved`);
  }
}

function requireClean(cwd, why) {
  const dirty = git(cwd, 'status', '--porcelain', '--untracked-files=normal');
  if (dirty) throw new Refusal(`${why}:\n${dirty}`);
}

export function release({ cwd, version: text, remote = 'origin', build, check, notesOut }) {
  const version = parseVersion(text);
  const tag = `v${version.join('.')}`;
  const major = `v${version[0]}`;
  requireClean(cwd, 'the working tree has changes that are not committed; release a commit, not a checkout');

  git(cwd, 'fetch', '--quiet', '--force', '--tags', remote);
  const head = git(cwd, 'rev-parse', 'HEAD');
  const existing = tagCommit(cwd, tag);
  if (existing && existing !== head) throw new Refusal(`${tag} already exists at ${existing}, not at HEAD ${head}`);
  const released = git(cwd, 'tag', '--list', 'v*.*.*')
    .split('\n')
    .filter((name) => name !== tag && VERSION.test(name))
    .map(parseVersion)
    .sort(compare);
  // A fix for an older major (1.4.1 after 2.0.0) only has to be above that major's releases; a new
  // major has to be above every release.
  const sameMajor = released.filter((other) => other[0] === version[0]);
  const latest = (sameMajor.length > 0 ? sameMajor : released).at(-1);
  if (latest && compare(version, latest) <= 0) throw new Refusal(`${tag} is not above the latest release v${latest.join('.')}`);

  const notes = changelogSection(readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8'), version.join('.'));
  if (!notes) throw new Refusal(`CHANGELOG.md has no "## [${version.join('.')}]" section with notes`);

  if (build) {
    runCommand(cwd, 'the build', build);
    requireClean(cwd, 'dist/ differs from a rebuild of the sources (an unbuilt tree); run the build and commit dist/');
  }
  if (check) runCommand(cwd, 'the check', check);

  if (notesOut) writeFileSync(notesOut, `${notes}\n`);
  if (!existing) git(cwd, 'tag', tag, head);
  git(cwd, 'tag', '--force', major, head);
  git(cwd, 'push', '--quiet', remote, `refs/tags/${tag}`);
  git(cwd, 'push', '--quiet', '--force', remote, `refs/tags/${major}`);
  return { tag, major, commit: head };
}

function main(argv) {
  const [text, ...rest] = argv;
  const options = {};
  for (let i = 0; i < rest.length; i += 2) {
    const name = /^--(remote|build|check|notes-out)$/.exec(rest[i] ?? '')?.[1];
    if (!name || rest[i + 1] === undefined) throw new Refusal(`unknown or incomplete option "${rest[i]}"`);
    options[name === 'notes-out' ? 'notesOut' : name] = rest[i + 1];
  }
  if (!text) throw new Refusal('usage: release.mjs <version> [--remote R] [--build CMD] [--check CMD] [--notes-out FILE]');
  const done = release({ cwd: process.cwd(), version: text, ...options });
  console.log(`released ${done.tag} at ${done.commit}; ${done.major} now points there`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`release: ${error instanceof Refusal ? error.message : String(error)}`);
    process.exit(1);
  }
}
