import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type NodeManager = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry' | 'bun';
export type PythonManager = 'pip' | 'poetry' | 'uv' | 'pipenv';

/** What the project in the working directory uses, read from its files (never from running anything). */
export interface ProjectFacts {
  /** File and directory names at the top of the working directory. */
  files: ReadonlySet<string>;
  pyproject: string;
  setupCfg: string;
  toxIni: string;
  /** requirements*.txt (and requirements/*.txt) paths, relative. */
  requirementFiles: string[];
  /** Their contents, joined, lower-case: where dependencies are named. */
  pythonDeps: string;
  packageJson?: { scripts: Record<string, string>; deps: ReadonlySet<string>; eslintConfig: boolean };
}

function read(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return '';
  }
}

export function detectProject(dir: string): ProjectFacts {
  const files = new Set(readdirSync(dir));
  const requirementFiles = [...files].filter((f) => /^requirements.*\.txt$/.test(f)).sort();
  if (files.has('requirements') && statSync(join(dir, 'requirements')).isDirectory()) {
    for (const f of readdirSync(join(dir, 'requirements')).sort()) if (f.endsWith('.txt')) requirementFiles.push(`requirements/${f}`);
  }
  const pyproject = read(dir, 'pyproject.toml');
  const pythonDeps = [pyproject, read(dir, 'setup.cfg'), read(dir, 'Pipfile'), ...requirementFiles.map((f) => read(dir, f))]
    .join('\n')
    .toLowerCase();
  let packageJson: ProjectFacts['packageJson'];
  if (existsSync(join(dir, 'package.json'))) {
    const pkg = JSON.parse(read(dir, 'package.json') || '{}') as {
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      eslintConfig?: unknown;
    };
    packageJson = {
      scripts: pkg.scripts ?? {},
      deps: new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]),
      eslintConfig: pkg.eslintConfig !== undefined,
    };
  }
  return { files, pyproject, setupCfg: read(dir, 'setup.cfg'), toxIni: read(dir, 'tox.ini'), requirementFiles, pythonDeps, packageJson };
}

export function nodeManager(facts: ProjectFacts): NodeManager {
  if (facts.files.has('pnpm-lock.yaml')) return 'pnpm';
  if (facts.files.has('yarn.lock')) return facts.files.has('.yarnrc.yml') ? 'yarn-berry' : 'yarn';
  if (facts.files.has('bun.lockb') || facts.files.has('bun.lock')) return 'bun';
  return 'npm';
}

export function pythonManager(facts: ProjectFacts): PythonManager {
  if (facts.files.has('uv.lock')) return 'uv';
  if (facts.files.has('poetry.lock')) return 'poetry';
  if (facts.files.has('Pipfile.lock')) return 'pipenv';
  return 'pip';
}

/** The files whose contents decide the dependency cache key. */
export function lockfiles(facts: ProjectFacts, ecosystem: 'node' | 'python'): string[] {
  const candidates =
    ecosystem === 'node'
      ? ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock']
      : ['uv.lock', 'poetry.lock', 'Pipfile.lock'];
  const found = candidates.filter((f) => facts.files.has(f));
  if (ecosystem === 'python') found.push(...facts.requirementFiles);
  return found;
}

/** A TOML table or INI section is present: `[tool.ruff]`, `[tool.ruff.lint]`, `[flake8]`. */
export function hasSection(text: string, section: string): boolean {
  const escaped = section.replace(/[.[\]]/g, '\\$&');
  return new RegExp(`^\\s*\\[${escaped}(?:\\.[^\\]]+)?\\]\\s*$`, 'm').test(text);
}

/** A dependency is named in requirements, pyproject or Pipfile (`ruff`, `ruff==0.6`, `"ruff>=0.5"`). */
export function namesPythonDep(facts: ProjectFacts, name: string): boolean {
  return new RegExp(`(^|[\\s"',\\[])${name.replace(/[-_]/g, '[-_]')}(\\s*($|[=<>~!;\\[,"']))`, 'm').test(facts.pythonDeps);
}
