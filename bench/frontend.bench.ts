// Redeploy of a 1,000-file site with one changed file against a first full deploy, both through the
// built frontend bundle against the Vercel and Netlify doubles: files uploaded and wall time, as ratios.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { NETLIFY_PREFIX, startNetlify } from '../harness/doubles/netlify.js';
import { startVercel } from '../harness/doubles/vercel.js';
import { makeSite, pushEvent } from '../harness/fixtures/frontend.js';
import { runBundle } from '../harness/services/runner.js';

const FILES = 1000;
const TOKEN = 'bench-token-0123456789';

async function measure(inputs: Record<string, string>): Promise<{ seconds: number; uploaded: number }> {
  const started = performance.now();
  const run = await runBundle('frontend', inputs, { env: pushEvent('main') });
  if (run.exitCode !== 0) throw new Error(run.stdout);
  return { seconds: (performance.now() - started) / 1000, uploaded: Number(run.outputs['files-uploaded']) };
}

async function compare(provider: string, inputs: (dir: string) => Record<string, string>): Promise<void> {
  const dir = makeSite(FILES - 1);
  const first = await measure(inputs(dir));
  writeFileSync(join(dir, 'assets/chunk-500.js'), 'console.log("changed");\n');
  const again = await measure(inputs(dir));
  console.log(
    `${provider}: first deploy ${first.uploaded} files in ${first.seconds.toFixed(2)}s; redeploy ${again.uploaded} file(s) in ${again.seconds.toFixed(2)}s` +
      ` → files uploaded ratio ${(again.uploaded / first.uploaded).toFixed(4)} (goal ${(1 / FILES).toFixed(4)}), wall time ratio ${(again.seconds / first.seconds).toFixed(2)}`,
  );
}

export default async function bench(): Promise<void> {
  const vercel = await startVercel({ token: TOKEN, buildPolls: 1 });
  try {
    await compare('vercel', (dir) => ({ provider: 'vercel', dir, token: TOKEN, project: 'bench', 'api-url': vercel.url }));
  } finally {
    await vercel.close();
  }
  const netlify = await startNetlify({ token: TOKEN, site: 'bench', buildPolls: 1 });
  try {
    await compare('netlify', (dir) => ({
      provider: 'netlify',
      dir,
      token: TOKEN,
      site: 'bench',
      'api-url': `${netlify.url}${NETLIFY_PREFIX}`,
    }));
  } finally {
    await netlify.close();
  }
}
