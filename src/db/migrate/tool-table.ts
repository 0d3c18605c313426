import { shellCommand } from '../../core/shell.js';

export const TOOLS = ['sql', 'django', 'alembic', 'prisma', 'knex', 'command'] as const;
export type Tool = (typeof TOOLS)[number];
export type PresetTool = Exclude<Tool, 'sql'>;

interface Preset {
  up: readonly string[];
  /** Prints what would run; absent when the tool has no such mode. */
  plan?: readonly string[];
  /** Names of the migrations the tool reports as applied in its output. */
  applied?: RegExp;
}

/** The app's own migration tools, as argv arrays run with DATABASE_URL in the environment. */
const PRESETS: Record<Exclude<PresetTool, 'command'>, Preset> = {
  django: {
    up: ['python', 'manage.py', 'migrate', '--noinput'],
    plan: ['python', 'manage.py', 'showmigrations', '--plan'],
    applied: /^\s*Applying (\S+?)\.\.\./gm,
  },
  alembic: {
    up: ['alembic', 'upgrade', 'head'],
    plan: ['alembic', 'upgrade', 'head', '--sql'],
    applied: /Running upgrade \S* -> (\S+?),/g,
  },
  prisma: {
    up: ['npx', 'prisma', 'migrate', 'deploy'],
    plan: ['npx', 'prisma', 'migrate', 'status'],
    applied: /^Applying migration `([^`]+)`/gm,
  },
  knex: { up: ['npx', 'knex', 'migrate:latest'], plan: ['npx', 'knex', 'migrate:list'] },
};

export interface Invocation {
  /** For the runner: a program and its arguments, never through a shell built from input. */
  argv: string[];
  /** For a remote host: one shell command line (the user's own command for `command`). */
  remote: string;
}

/** What runs for a tool; undefined when the tool has no plan mode. `command` is the user's shell command. */
export function presetInvocation(tool: PresetTool, plan: boolean, command?: string): Invocation | undefined {
  if (tool === 'command') {
    if (plan || !command) return undefined;
    return { argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', command], remote: command };
  }
  const argv = plan ? PRESETS[tool].plan : PRESETS[tool].up;
  return argv ? { argv: [...argv], remote: shellCommand(argv) } : undefined;
}

/** Migration names the tool printed as applied (Django "Applying app.0002_x...", Alembic "-> rev,", Prisma "Applying migration `x`"). */
export function appliedFromOutput(tool: PresetTool, output: string): string[] {
  const re = tool === 'command' ? undefined : PRESETS[tool].applied;
  if (!re) return [];
  return [...output.matchAll(re)].map((m) => m[1]!);
}
