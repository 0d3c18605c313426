import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { makeSource } from '../../harness/services/versioned-app.js';
import { applySwarmMode } from '../../src/release/swarm/inputs.js';
import { applySwarmDefaults, checkStackFile, checkStackText, renderedPath } from '../../src/release/swarm/stack-file.js';

const PIN = `127.0.0.1:5000/acme/web@sha256:${'a'.repeat(64)}`;

describe('checkStackText', () => {
  it.each([
    ['a moving tag', `services:\n  web:\n    image: acme/web:latest\n`, /not pinned: web \(acme\/web:latest\)/],
    ['build:', `services:\n  web:\n    build: .\n`, /not pinned: web \(build:\)/],
    ['build: next to a pinned image', `services:\n  web:\n    image: ${PIN}\n    build: .\n`, /not pinned: web \(build:\)/],
    ['no image', `services:\n  web:\n    command: x\n`, /not pinned: web \(no image\)/],
    ['a short digest', `services:\n  web:\n    image: acme/web@sha256:abc\n`, /not pinned/],
    ['a tag and a digest with a newline', `services:\n  web:\n    image: "acme/web@sha256:${'a'.repeat(64)}\\nx"\n`, /not pinned/],
    ['no services', `networks: {}\n`, /defines no services/],
    ['a list', `- a\n`, /not a mapping/],
    ['bad YAML', `services: [\n`, /not valid YAML/],
    ['version 2', `version: "2.4"\nservices:\n  web:\n    image: ${PIN}\n`, /compose file format 3/],
    ['a hostile service name', `services:\n  "web;rm -rf /":\n    image: ${PIN}\n`, /service names must be/],
  ])('refuses %s, naming compose-file', (_what, text, message) => {
    expect(() => checkStackText(text, 'stack.yaml')).toThrow(message);
    expect(() => checkStackText(text, 'stack.yaml')).toThrow(/input "compose-file"/);
  });

  it('lists every unpinned service in one message', () => {
    expect(() => checkStackText(`services:\n  web:\n    image: a:1\n  api:\n    build: .\n  ok:\n    image: ${PIN}\n`, 's')).toThrow(
      /not pinned: web \(a:1\), api \(build:\)$/,
    );
  });

  it('returns the pinned images by service', () => {
    expect(checkStackText(`version: "3.8"\nservices:\n  web:\n    image: ${PIN}\n`, 's').images).toEqual({ web: PIN });
  });
});

describe('applySwarmDefaults', () => {
  const doc = (deploy: unknown, version?: string) =>
    parse(`${version ? `version: "${version}"\n` : ''}services:\n  web:\n    image: ${PIN}\n    deploy: ${JSON.stringify(deploy)}\n`) as {
      version?: string;
      services: Record<string, { deploy: Record<string, unknown> }>;
    };

  it('adds every default to a service without deploy settings', () => {
    const d = parse(`services:\n  web:\n    image: ${PIN}\n`) as Parameters<typeof applySwarmDefaults>[0];
    expect(applySwarmDefaults(d)).toEqual(['web']);
    expect(d.services!.web!.deploy).toEqual({
      update_config: { order: 'start-first', failure_action: 'rollback', monitor: '10s' },
      rollback_config: { order: 'start-first' },
    });
  });

  it('fills in key by key, never overriding what the service says', () => {
    const d = doc({ replicas: 3, update_config: { order: 'stop-first', parallelism: 2 }, rollback_config: { order: 'stop-first' } });
    applySwarmDefaults(d);
    expect(d.services.web!.deploy).toEqual({
      replicas: 3,
      update_config: { order: 'stop-first', parallelism: 2, failure_action: 'rollback', monitor: '10s' },
      rollback_config: { order: 'stop-first' },
    });
  });

  it('changes nothing when every setting is given', () => {
    const d = doc({
      update_config: { order: 'stop-first', failure_action: 'pause', monitor: '1s' },
      rollback_config: { order: 'stop-first' },
    });
    expect(applySwarmDefaults(d)).toEqual([]);
  });

  it.each([
    ['3', '3.8'],
    ['3.2', '3.8'],
    ['3.7', '3.7'],
    ['3.9', '3.9'],
  ])('raises version %s to what rollback_config needs (%s)', (version, expected) => {
    const d = doc({}, version);
    applySwarmDefaults(d);
    expect(d.version).toBe(expected);
  });
});

describe('checkStackFile', () => {
  it('renders the deployed file beside the user one, with a version and the defaults', () => {
    const source = makeSource({ 'deploy/stack.yaml': `services:\n  web:\n    image: ${PIN}\n    env_file: .env\n` });
    const checked = checkStackFile(source, 'deploy/stack.yaml', true);
    expect(checked.rendered).toBe('deploy/.deploy-kit-stack.yaml');
    const rendered = parse(checked.content) as { version: string; services: { web: { env_file: string; deploy: object } } };
    expect(rendered.version).toBe('3.8');
    expect(rendered.services.web.env_file).toBe('.env');
    expect(rendered.services.web.deploy).toMatchObject({ update_config: { failure_action: 'rollback' } });
  });

  it('leaves the services alone with swarm-defaults false', () => {
    const source = makeSource({ 'compose.yaml': `services:\n  web:\n    image: ${PIN}\n` });
    expect(parse(checkStackFile(source, 'compose.yaml', false).content)).toEqual({ version: '3.8', services: { web: { image: PIN } } });
  });

  it.each(['../compose.yaml', '/etc/compose.yaml', 'a b.yaml', '-c.yaml'])('refuses the path %s', (file) => {
    expect(() => checkStackFile(makeSource({}), file, true)).toThrow(/input "compose-file": expected a path relative/);
  });

  it('says when the file is missing', () => {
    expect(() => checkStackFile(makeSource({}), 'compose.yaml', true)).toThrow(/compose.yaml does not exist in the release source/);
  });

  it('puts the rendered file in the stack file directory', () => {
    expect(renderedPath('compose.yaml')).toBe('.deploy-kit-stack.yaml');
    expect(renderedPath('a/b/stack.yml')).toBe('a/b/.deploy-kit-stack.yaml');
  });
});

describe('applySwarmMode', () => {
  const base = { root: '/srv/shop-api', health: { expect: {}, timeoutMs: 60_000 }, switch: { kind: 'restart' as const } };
  const inputs = { mode: 'swarm' as const, 'compose-file': 'compose.yaml', 'swarm-defaults': true };

  it('names the stack after the path by default and checks the source', () => {
    const source = makeSource({ 'compose.yaml': `services:\n  web:\n    image: ${PIN}\n` });
    const config = applySwarmMode({ ...base, source }, inputs);
    expect(config.switch).toMatchObject({ kind: 'swarm', stack: 'shop-api', services: ['web'], rendered: '.deploy-kit-stack.yaml' });
  });

  it('checks only the path in a rollback (no source)', () => {
    const config = applySwarmMode(base, { ...inputs, stack: 'shop' });
    expect(config.switch).toMatchObject({ kind: 'swarm', stack: 'shop', rendered: '.deploy-kit-stack.yaml' });
    expect(config.switch).not.toHaveProperty('content');
    expect(() => applySwarmMode(base, { ...inputs, 'compose-file': '../x.yaml' })).toThrow(/input "compose-file"/);
  });

  it.each([
    [{ restartCommand: 'x' }, {}, /input "restart-command": not used with mode swarm/],
    [{ switch: { kind: 'blue-green' } }, {}, /input "switch"/],
    [{}, { 'compose-project': 'p' }, /input "compose-project"/],
    [{ root: `/srv/${'a'.repeat(60)}` }, {}, /input "stack": the default from path's last segment is "a{60}"/],
    [{}, { stack: `s${'x'.repeat(49)}` }, /must fit in 63 characters/],
  ])('refuses %j %j', (config, extra, message) => {
    const source = makeSource({ 'compose.yaml': `services:\n  ${'w'.repeat(20)}:\n    image: ${PIN}\n` });
    expect(() => applySwarmMode({ ...base, source, ...config } as unknown as typeof base, { ...inputs, ...extra })).toThrow(message);
  });

  it('is a no-op in the other modes, and stack is refused there', () => {
    expect(applySwarmMode(base, { ...inputs, mode: 'compose' })).toBe(base);
    expect(() => applySwarmMode(base, { ...inputs, mode: 'release', stack: 'shop' })).toThrow(/input "stack": only used with mode: swarm/);
  });
});
