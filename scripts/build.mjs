// Builds one ncc bundle per entry in actions/ into dist/<name>/index.js.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';

const only = process.argv.slice(2);
const entries = readdirSync('actions')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name));

for (const name of entries) {
  rmSync(`dist/${name}`, { recursive: true, force: true });
  execFileSync(
    'npx',
    ['ncc', 'build', `actions/${name}.ts`, '-o', `dist/${name}`, '--no-source-map-register', '--quiet', '--license', 'licenses.txt'],
    {
      stdio: 'inherit',
    },
  );
}
