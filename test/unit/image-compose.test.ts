import { describe, expect, it } from 'vitest';

import { makeSource } from '../../harness/services/versioned-app.js';
import { checkComposeFile, composeCommands } from '../../src/release/compose.js';
import { composeProject } from '../../src/release/compose-project.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('compose mode', () => {
  it('runs our pull before the user before-switch and our up before the user restart', () => {
    const commands = composeCommands(
      { file: 'compose.yaml', project: 'shop' },
      { beforeSwitch: 'echo migrate', restartCommand: 'echo done' },
    );
    expect(commands.beforeSwitch).toMatch(/"\$\{dc\[@\]\}" --project-name shop --file compose.yaml pull --quiet\necho migrate$/);
    expect(commands.restartCommand).toMatch(
      /"\$\{dc\[@\]\}" --project-name shop --file compose.yaml up --detach --wait --remove-orphans\necho done$/,
    );
    expect(commands.restartCommand).toContain('podman compose');
  });

  it('names the project after the deploy root', () => {
    expect(composeProject('/srv/Shop.API', undefined)).toBe('shop-api');
    expect(composeProject('/srv/shop', 'custom')).toBe('custom');
  });

  it('requires every service image pinned by digest', () => {
    const ok = makeSource({ 'compose.yaml': `services:\n  web:\n    image: ghcr.io/acme/shop@${DIGEST}\n` });
    expect(() => checkComposeFile(ok, 'compose.yaml')).not.toThrow();
    const built = makeSource({ 'compose.yaml': 'services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n' });
    expect(() => checkComposeFile(built, 'compose.yaml')).toThrow(/not pinned: web \(build:\), db \(postgres:16\)/);
    expect(() => checkComposeFile(ok, '../compose.yaml')).toThrow(/input "compose-file"/);
    expect(() => checkComposeFile(ok, 'missing.yaml')).toThrow(/does not exist/);
  });
});
