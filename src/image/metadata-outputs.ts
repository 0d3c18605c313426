import { join } from 'node:path';

import { writeTextFile } from '../core/file-sinks.js';
import type { Logger } from '../core/logger.js';

/** The outputs docker/metadata-action users read (`steps.meta.outputs.json`, bake files), from the kit's plan. */
export interface MetadataView {
  images: readonly string[];
  /** `repo:tag` for every repository. */
  tags: readonly string[];
  /** The tag names alone. */
  tagNames: readonly string[];
  version: string;
  labels: Readonly<Record<string, string>>;
}

/** metadata-action's `json` output. */
export function metadataJson(view: MetadataView): string {
  return JSON.stringify({ tags: view.tags, 'tag-names': view.tagNames, labels: view.labels, annotations: [] });
}

export type BakeKind = 'tags' | 'labels' | 'all';

/** A buildx bake definition `{target: {<name>: {...}}}` as metadata-action writes it. */
export function bakeDefinition(view: MetadataView, target: string, kind: BakeKind): object {
  const args = { DOCKER_META_IMAGES: view.images.join(','), DOCKER_META_VERSION: view.version };
  const body =
    kind === 'tags'
      ? { tags: view.tags, args }
      : kind === 'labels'
        ? { labels: view.labels }
        : { tags: view.tags, labels: view.labels, args };
  return { target: { [target]: body } };
}

/** Writes the three bake files into `dir` (redacted, like every file the kit writes) and returns their paths by output name. */
export function writeBakeFiles(view: MetadataView, target: string, dir: string, logger: Logger): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [output, kind, suffix] of [
    ['bake-file', 'all', ''],
    ['bake-file-tags', 'tags', '-tags'],
    ['bake-file-labels', 'labels', '-labels'],
  ] as const) {
    const path = join(dir, `docker-metadata-action-bake${suffix}.json`);
    writeTextFile(logger, path, JSON.stringify(bakeDefinition(view, target, kind), null, 2));
    files[output] = path;
  }
  return files;
}
