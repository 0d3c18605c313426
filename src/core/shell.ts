/**
 * Everything that puts a value into a remote (or local) bash script: the one quoting function, the
 * quoted-assignment header scripts use, and the strict patterns for values that become paths there.
 */

/** The one quoting function for the remote shell: single quotes, with embedded quotes closed and escaped. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A shell command line from an argument array, every argument quoted. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * A script whose user values only ever enter as quoted variable assignments at the top
 * (`name='value'`); the body refers to "$name".
 */
export function withVars(vars: Record<string, string>, body: string): string {
  const assignments = Object.entries(vars).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return `${assignments.join('\n')}\n${body.trim()}\n`;
}

const PATH_CHARS = /^[A-Za-z0-9._/@+-]+$/;

function hasDotDot(value: string): boolean {
  return value.split('/').some((segment) => segment === '..');
}

/** A remote directory: absolute, or relative to the login directory; no "..", spaces or shell characters. */
export function isSafeRemotePath(value: string): boolean {
  return PATH_CHARS.test(value) && !hasDotDot(value) && !value.startsWith('-') && value !== '/';
}

/** A path inside a release (shared dirs and files): relative, no "..". */
export function isSafeRelativePath(value: string): boolean {
  return PATH_CHARS.test(value) && !hasDotDot(value) && !value.startsWith('/') && !value.startsWith('-') && value !== '.';
}
