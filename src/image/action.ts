import { z } from 'zod';

import { defineAction, type RunContext } from '../core/action.js';
import { bool, choice, content, list, optionalText, text } from '../core/inputs.js';
import { buildImage, type ImageMetadata, imagePost } from './build.js';
import { metadataJson, writeBakeFiles } from './metadata-outputs.js';

/** Newline-separated entries (tag rules and key=value lines contain commas, so commas do not split). */
function lines() {
  return content().transform((v) =>
    (v ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

const schema = z.object({
  builder: choice(['auto', 'docker', 'buildah', 'podman'] as const, 'auto'),
  context: text('.'),
  file: optionalText(),
  images: lines(),
  tags: lines(),
  flavor: lines(),
  labels: lines(),
  'build-args': lines(),
  secrets: lines(),
  target: optionalText(),
  platforms: list(),
  push: bool(false),
  registry: optionalText(),
  username: optionalText(),
  password: optionalText(),
  'tls-verify': bool(true),
  'cache-from': lines(),
  'cache-to': lines(),
  'pr-head-sha': bool(false),
  'short-sha-length': text('7'),
  'sep-tags': content(),
  'sep-labels': content(),
  'bake-target': text('docker-metadata-action'),
});

type Inputs = z.infer<typeof schema>;

function setOutputs(metadata: ImageMetadata, inputs: Inputs, ctx: RunContext): void {
  ctx.outputs.set('tags', metadata.tags.join(inputs['sep-tags'] || '\n'));
  ctx.outputs.set(
    'labels',
    Object.entries(metadata.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(inputs['sep-labels'] || '\n'),
  );
  ctx.outputs.set('version', metadata.version);
  ctx.outputs.set('metadata', JSON.stringify(metadata));
  ctx.outputs.set('json', metadataJson(metadata));
  for (const [name, path] of Object.entries(writeBakeFiles(metadata, inputs['bake-target'], ctx.env.tempDir, ctx.logger)))
    ctx.outputs.set(name, path);
  if (metadata.digest) ctx.outputs.set('digest', metadata.digest);
  if (metadata.image) ctx.outputs.set('image', metadata.image);
}

export const imageAction = defineAction({
  name: 'image',
  schema,
  secretInputs: ['password', 'secrets'],
  outputs: ['digest', 'image', 'tags', 'labels', 'metadata', 'version', 'json', 'bake-file', 'bake-file-tags', 'bake-file-labels'],
  async run(inputs, ctx) {
    let last: ImageMetadata | undefined;
    try {
      await buildImage(
        {
          builder: inputs.builder,
          context: inputs.context,
          file: inputs.file,
          images: inputs.images,
          tags: inputs.tags,
          flavor: inputs.flavor,
          labels: inputs.labels,
          buildArgs: inputs['build-args'],
          secrets: inputs.secrets,
          target: inputs.target,
          platforms: inputs.platforms,
          push: inputs.push,
          registry: inputs.registry,
          username: inputs.username,
          password: inputs.password,
          tlsVerify: inputs['tls-verify'],
          cacheFrom: inputs['cache-from'],
          cacheTo: inputs['cache-to'],
          prHeadSha: inputs['pr-head-sha'],
          shortShaLength: inputs['short-sha-length'],
        },
        ctx,
        (metadata) => {
          last = metadata;
          setOutputs(metadata, inputs, ctx);
        },
      );
    } finally {
      if (last) {
        ctx.summary.heading(`deploy-kit image: ${last.version}`);
        ctx.summary.table(
          ['builder', 'image', 'tags'],
          [[last.builder ?? '—', last.image ?? (inputs.push ? 'not pushed (failed)' : 'built, not pushed'), last.tags.join('\n')]],
        );
      }
    }
  },
  post: imagePost,
});
