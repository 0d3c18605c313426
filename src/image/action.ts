import { defineAction, type RunContext } from '../core/action.js';
import { buildImage, type ImageMetadata, imagePost, type ImageReport } from './build.js';
import { type ImageInputs, imageSchema } from './inputs.js';
import { metadataJson, writeBakeFiles } from './metadata-outputs.js';

function setOutputs(metadata: ImageMetadata, inputs: ImageInputs, ctx: RunContext): void {
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
  schema: imageSchema,
  secretInputs: ['password', 'secrets'],
  outputs: ['digest', 'image', 'tags', 'labels', 'metadata', 'version', 'json', 'bake-file', 'bake-file-tags', 'bake-file-labels'],
  async run(inputs, ctx) {
    const report: ImageReport = {};
    try {
      await buildImage(inputs, ctx, report);
    } finally {
      const last = report.metadata;
      if (last) {
        setOutputs(last, inputs, ctx);
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
