import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT } from '../../harness/services/runner.js';

/** Every file under a folder of the repository, recursively, as absolute paths. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const userFacing = [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs')), ...walk(join(ROOT, 'examples'))].filter((f) =>
  /\.(md|ya?ml)$/.test(f),
);

describe('docs and examples', () => {
  it('never tell users to run the bare npm name (npm deploy-kit is an unrelated package)', () => {
    const offenders = userFacing.filter((f) => /npx\s+(--\S+\s+)*deploy-kit\b/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('link only to sections of docs/strategies/README.md that exist (#secrets, #concurrency)', () => {
    const headings = [...readFileSync(join(ROOT, 'docs/strategies/README.md'), 'utf8').matchAll(/^## (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    expect(headings).toEqual(expect.arrayContaining(['secrets', 'concurrency']));
    const files = [
      ...userFacing,
      ...['monolithic', 'separated', 'containerized', 'backup', 'rollback'].map((n) => join(ROOT, `.github/workflows/${n}.yml`)),
    ];
    const anchors = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/strategies\/README\.md#([a-z0-9-]+)|\bREADME\.md#([a-z0-9-]+)/g)]
        .filter((m) => m[1] !== undefined || f.includes('/docs/strategies/'))
        .map((m) => m[1] ?? m[2]!),
    );
    expect(anchors.length).toBeGreaterThan(5);
    expect(anchors.filter((anchor) => !headings.includes(anchor))).toEqual([]);
  });

  it('use one image placeholder, ${DEPLOY_KIT_IMAGE}, the one the containerized workflow replaces', () => {
    const workflow = readFileSync(join(ROOT, '.github/workflows/containerized.yml'), 'utf8');
    expect(workflow).toContain("placeholder='${DEPLOY_KIT_IMAGE}'");
    const offenders = userFacing.filter((f) => /@IMAGE@|\{\{\s*IMAGE\s*\}\}/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
