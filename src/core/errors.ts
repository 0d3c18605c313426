/** A mistake in what the user asked for (bad input, missing permission): fix the workflow, not the host. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Something failed while acting (host down, build failed, health check failed). */
export class OperationalError extends Error {
  override readonly name: string = 'OperationalError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A remote or local command exited non-zero; carries its exit code and last output lines. */
export class CommandError extends OperationalError {
  constructor(
    readonly what: string,
    readonly exitCode: number,
    readonly outputTail: string,
    hint?: string,
  ) {
    super(`${what} failed with exit code ${exitCode}${outputTail ? `:\n${outputTail}` : ''}`, hint);
  }
}

/** The Debian/Ubuntu package that provides each tool the kit runs, for the install hint. */
const PACKAGE_OF: Readonly<Record<string, string>> = {
  ssh: 'openssh-client',
  'ssh-keyscan': 'openssh-client',
  rsync: 'rsync',
  buildah: 'buildah',
  podman: 'podman',
  docker: 'docker.io (or docker-ce)',
  skopeo: 'skopeo',
  pg_dump: 'postgresql-client',
  pg_restore: 'postgresql-client',
  psql: 'postgresql-client',
  mysqldump: 'mariadb-client (or mysql-client)',
  'mariadb-dump': 'mariadb-client',
  mysql: 'mariadb-client (or mysql-client)',
  mariadb: 'mariadb-client',
  sqlite3: 'sqlite3',
  zstd: 'zstd',
  gzip: 'gzip',
  age: 'age',
  tar: 'tar',
  nginx: 'nginx',
};

/** A program that could not start because it is not on PATH (spawn's ENOENT); the hint names its package. */
export class ToolNotFoundError extends OperationalError {
  override readonly name = 'ToolNotFoundError';
  constructor(readonly tool: string) {
    const pkg = PACKAGE_OF[tool];
    super(
      `${tool} is not installed or not on PATH`,
      pkg
        ? `install it on the runner (apt-get install -y ${pkg}) or add a setup step before this one`
        : `install ${tool} on the runner before this step`,
    );
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The last `count` non-empty lines of a command's output, for error messages. */
export function tail(text: string, count = 20): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-count).join('\n');
}
