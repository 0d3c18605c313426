import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { ROOT } from '../../harness/services/runner.js';
import { changelogSection } from '../../scripts/release.mjs';

/** What a release publishes besides the code: the notes, the license, the Marketplace listing. */

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('CHANGELOG.md', () => {
  const changelog = read('CHANGELOG.md');

  it('has an Unreleased section the next release takes its notes from', () => {
    expect(changelogSection(changelog, 'Unreleased')).toMatch(/^### (Added|Changed|Fixed|Security)/);
  });

  it('dates every released version (Keep a Changelog: ## [1.2.3] - YYYY-MM-DD)', () => {
    const headings = changelog.split('\n').filter((line) => line.startsWith('## '));
    for (const heading of headings) expect(heading).toMatch(/^## \[(Unreleased|\d+\.\d+\.\d+)\]( - \d{4}-\d{2}-\d{2})?$/);
    for (const heading of headings.filter((line) => !line.includes('Unreleased'))) expect(heading).toMatch(/ - \d{4}-\d{2}-\d{2}$/);
  });
});

describe('the Marketplace listing (root action.yml)', () => {
  const metadata = parse(read('action.yml')) as {
    name: string;
    description: string;
    author: string;
    branding: { icon: string; color: string };
  };

  it('has a name, an author and a description under the 125 characters the publish form allows', () => {
    expect(metadata.name).toBeTruthy();
    expect(metadata.author).toBeTruthy();
    expect(metadata.description.length).toBeLessThan(125);
  });

  it('uses a branding colour and a Feather icon that actions may use', () => {
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(metadata.branding.color);
    // Feather icons GitHub leaves out of action branding.
    const excluded = [
      'coffee',
      'columns',
      'divide-circle',
      'divide-square',
      'divide',
      'frown',
      'hexagon',
      'key',
      'meh',
      'mouse-pointer',
      'smile',
      'tool',
      'x-octagon',
    ];
    expect(excluded).not.toContain(metadata.branding.icon);
    expect(metadata.branding.icon).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('license and security policy', () => {
  it('ships the MIT license that package.json names', () => {
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
  });

  it('has a security policy GitHub shows on the Security tab', () => {
    expect(existsSync(join(ROOT, 'SECURITY.md'))).toBe(true);
    expect(read('SECURITY.md')).toMatch(/## Reporting a vulnerability/);
  });
});
