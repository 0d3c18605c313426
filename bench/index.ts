// Runs every bench/*.bench.ts in turn; each prints its own measurements and ratios against a baseline
// measured in the same run. `npm run bench -- backend` runs only the named ones.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { scopeTempDir } from '../harness/services/temp-scope.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace('.bench.ts', '')))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file.replace('.bench.ts', '')}`);
  // Each bench's temp dirs (its services', its bundles' runner files) are removed when it is done.
  const removeTemp = scopeTempDir('dkb-');
  try {
    const module = (await import(join(here, file))) as { default: () => Promise<void> };
    await module.default();
  } finally {
    removeTemp();
  }
}
