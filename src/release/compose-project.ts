// The compose project name of `mode: compose`, in a module of its own (no YAML parser): backup and
// restore find the project of `container: compose:<service>` from the deploy path with it.

/** The project name: the input, or the deploy root's last segment made into a compose name. */
export function composeProject(root: string, project: string | undefined): string {
  if (project) return project;
  const name = (root.split('/').filter(Boolean).pop() ?? 'app')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return name || 'app';
}
