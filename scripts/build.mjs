// Builds one ncc bundle per entry in actions/ into dist/<name>/index.js; code behind an `import()`
// becomes a chunk beside it (dist/<name>/<id>.index.js, ids stable across builds), loaded when a run
// reaches it. ncc's --license writes one file per chunk, so each chunk's list is written apart and
// merged into dist/<name>/licenses.txt: every package of every chunk, not only the last chunk's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const only = process.argv.slice(2);
const entries = readdirSync('actions')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name));

/** The package names of every bundled file under node_modules, from webpack's stats. */
function bundledPackages(statsFile) {
  const names = new Set();
  const visit = (modules) => {
    for (const m of modules ?? []) {
      const path = m.nameForCondition ?? '';
      const at = path.lastIndexOf('/node_modules/');
      if (at >= 0) {
        const parts = path.slice(at + '/node_modules/'.length).split('/');
        names.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
      }
      visit(m.modules);
    }
  };
  visit(JSON.parse(readFileSync(statsFile, 'utf8')).modules);
  return names;
}

/**
 * Splits one license file as license-webpack-plugin renders it (sorted by name; per package its name,
 * its license id and its license text, separated by a blank line) into name → section.
 */
function licenseSections(text, packages) {
  const sections = new Map();
  const starts = [];
  let previous = '';
  for (let at = 0; at >= 0 && at < text.length; at = text.indexOf('\n\n', at + 1)) {
    const start = at === 0 ? 0 : at + 2;
    const name = text.slice(start, text.indexOf('\n', start));
    if (packages.has(name) && name > previous) {
      starts.push([name, start]);
      previous = name;
    }
  }
  // A section ends where the blank line before the next one starts (its own trailing newlines kept, as the plugin renders them).
  starts.forEach(([name, start], i) =>
    sections.set(name, i + 1 < starts.length ? text.slice(start, starts[i + 1][1] - 2) : text.slice(start).trimEnd()),
  );
  return sections;
}

function mergeLicenses(dir, statsFile) {
  const files = readdirSync(dir).filter((f) => /^licenses-.+\.txt$/.test(f));
  const packages = bundledPackages(statsFile);
  const sections = new Map();
  for (const file of files.sort()) {
    for (const [name, section] of licenseSections(readFileSync(join(dir, file), 'utf8'), packages)) sections.set(name, section);
    rmSync(join(dir, file));
  }
  const names = [...sections.keys()].sort((a, b) => (a < b ? -1 : 1));
  writeFileSync(
    join(dir, 'licenses.txt'),
    `${names
      .map((name) => sections.get(name))
      .join('\n\n')
      .trim()}\n`,
  );
}

for (const name of entries) {
  const out = `dist/${name}`;
  rmSync(out, { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), `deploy-kit-build-${name}-`));
  try {
    const stats = join(scratch, 'stats.json');
    execFileSync(
      'npx',
      [
        'ncc',
        'build',
        `actions/${name}.ts`,
        '-o',
        out,
        '--no-source-map-register',
        '--quiet',
        '--license',
        'licenses-[name].txt',
        '--stats-out',
        stats,
      ],
      { stdio: 'inherit' },
    );
    // One chunk (no import() reached a package): ncc's own file, unchanged.
    const files = readdirSync(out).filter((f) => /^licenses-.+\.txt$/.test(f));
    if (files.length === 1 && existsSync(join(out, 'licenses-main.txt')))
      renameSync(join(out, 'licenses-main.txt'), join(out, 'licenses.txt'));
    else mergeLicenses(out, stats);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
