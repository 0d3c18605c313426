// The layout rules a test cannot see file by file: no import cycle in src/, no src/ file over 300
// lines, src/ never imports tests or the harness, nothing imports an action entry, and the shared
// layers (core, ssh, release, db, storage, providers, github) never import an action's folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const MAX_LINES = 300;
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?'(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts')));
}

const problems = [];
const srcFiles = tsFiles(join(root, 'src'));
const graph = new Map(srcFiles.map((file) => [file, importsOf(file)]));

for (const [file, targets] of graph) {
  const lines = readFileSync(file, 'utf8').split('\n').length - 1;
  if (lines > MAX_LINES) problems.push(`${relative(root, file)}: ${lines} lines (at most ${MAX_LINES}); split it by task`);
  for (const target of targets) {
    const where = relative(root, target);
    if (!where.startsWith('src/')) problems.push(`${relative(root, file)} imports ${where}: src/ may only import src/`);
  }
}
// Arrows point down: an action's folder may use the shared layers, never the other way round.
const SHARED_LAYERS = ['core', 'ssh', 'release', 'db', 'storage', 'providers', 'github'];
const layerOf = (file) => relative(join(root, 'src'), file).split('/')[0];
for (const [file, targets] of graph) {
  if (!SHARED_LAYERS.includes(layerOf(file))) continue;
  for (const target of targets) {
    const layer = layerOf(target);
    if (layerOf(file) === 'core' && layer !== 'core')
      problems.push(`${relative(root, file)} imports ${relative(root, target)}: core imports only core`);
    if (layer.endsWith('.ts') || SHARED_LAYERS.includes(layer)) continue;
    problems.push(`${relative(root, file)} imports ${relative(root, target)}: the shared layers never import an action's folder`);
  }
}
for (const file of [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'test')), ...tsFiles(join(root, 'harness'))]) {
  for (const target of importsOf(file)) {
    if (relative(root, target).startsWith('actions/')) problems.push(`${relative(root, file)} imports the entry ${relative(root, target)}`);
  }
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
function visit(file) {
  const m = { index, low: index, onStack: true };
  index += 1;
  meta.set(file, m);
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue;
    const t = meta.get(target);
    if (!t) {
      visit(target);
      m.low = Math.min(m.low, meta.get(target).low);
    } else if (t.onStack) m.low = Math.min(m.low, t.index);
  }
  if (m.low === m.index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      meta.get(member).onStack = false;
      component.push(relative(root, member));
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) problems.push(`import cycle: ${component.sort().join(' <-> ')}`);
  }
}
for (const file of graph.keys()) if (!meta.has(file)) visit(file);

if (problems.length > 0) {
  console.error(`architecture check: ${problems.length} problem(s)\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`architecture check: ${graph.size} files in src/, no cycles, none over ${MAX_LINES} lines`);
