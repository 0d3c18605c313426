import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import { bakeDefinition, metadataJson, writeBakeFiles } from '../../src/image/metadata-outputs.js';

const view = {
  images: ['ghcr.io/acme/shop'],
  tags: ['ghcr.io/acme/shop:1.2.3', 'ghcr.io/acme/shop:latest'],
  tagNames: ['1.2.3', 'latest'],
  version: '1.2.3',
  labels: { 'org.opencontainers.image.version': '1.2.3' },
};

describe('metadata-action outputs', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('json has tags, tag-names and labels as steps.meta.outputs.json does', () => {
    expect(JSON.parse(metadataJson(view))).toEqual({
      tags: view.tags,
      'tag-names': view.tagNames,
      labels: view.labels,
      annotations: [],
    });
  });

  it('bake definitions carry tags and DOCKER_META_* args, labels, or both', () => {
    const args = { DOCKER_META_IMAGES: 'ghcr.io/acme/shop', DOCKER_META_VERSION: '1.2.3' };
    expect(bakeDefinition(view, 'app', 'tags')).toEqual({ target: { app: { tags: view.tags, args } } });
    expect(bakeDefinition(view, 'app', 'labels')).toEqual({ target: { app: { labels: view.labels } } });
    expect(bakeDefinition(view, 'app', 'all')).toEqual({ target: { app: { tags: view.tags, labels: view.labels, args } } });
  });

  it('writes the three bake files buildx bake reads', () => {
    dir = mkdtempSync(join(tmpdir(), 'bake-'));
    const files = writeBakeFiles(view, 'docker-metadata-action', dir, recordingLogger());
    expect(Object.keys(files)).toEqual(['bake-file', 'bake-file-tags', 'bake-file-labels']);
    expect(JSON.parse(readFileSync(files['bake-file-tags']!, 'utf8'))).toEqual(bakeDefinition(view, 'docker-metadata-action', 'tags'));
  });
});
