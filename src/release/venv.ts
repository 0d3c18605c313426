import { ConfigurationError } from '../core/errors.js';
import { shellQuote } from '../core/shell.js';

/**
 * `python-venv: requirements.txt`: a virtualenv per release. Before the switch, in the new release,
 * `python3 -m venv .venv` and `.venv/bin/python -m pip install -r <file>`; then the venv is on PATH for
 * the user's before-switch in the same shell, so `python manage.py migrate` runs with it. The venv
 * lives in the release (`<path>/releases/<id>/.venv`, reached as `<path>/current/.venv` once live),
 * so a rollback switches the code and its packages together and pruning removes both.
 */
export const VENV_DIR = '.venv';

/** Puts `<dir>/.venv` first on PATH when it exists; for commands run in a release or in current. */
export const ACTIVATE_VENV = `if [ -x ${VENV_DIR}/bin/python ]; then export VIRTUAL_ENV="$PWD/${VENV_DIR}" PATH="$PWD/${VENV_DIR}/bin:$PATH"; fi`;

export function checkRequirementsPath(value: string): void {
  if (!/^[A-Za-z0-9._/-]+$/.test(value) || value.startsWith('/') || value.startsWith('-') || value.split('/').includes('..'))
    throw new ConfigurationError(
      `input "python-venv": expected the requirements file, relative to the release (requirements.txt, requirements/prod.txt), got ${JSON.stringify(value)}`,
    );
}

/** The shell lines that build the venv; they run first in the before-switch shell. */
export function venvCommand(requirements: string): string {
  const file = shellQuote(requirements);
  return [
    `[ -f ${file} ] || { echo "python-venv: ${requirements} is not in the release; add it to source, or fix the input" >&2; exit 2; }`,
    `command -v python3 >/dev/null || { echo "python-venv: python3 is not on the host's PATH (install python3 and python3-venv)" >&2; exit 2; }`,
    `echo "python-venv: $(python3 --version) -m venv ${VENV_DIR}, then pip install -r ${requirements}"`,
    `python3 -m venv ${VENV_DIR} || { echo "python-venv: python3 -m venv failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)" >&2; exit 2; }`,
    `${VENV_DIR}/bin/python -m pip install --no-input --disable-pip-version-check --quiet -r ${file} || { echo "python-venv: pip install -r ${requirements} failed (output above)" >&2; exit 2; }`,
    ACTIVATE_VENV,
  ].join('\n');
}

/** before-switch with the venv step in front; unchanged without `python-venv`. */
export function withPythonVenv(requirements: string | undefined, beforeSwitch: string | undefined): string | undefined {
  if (!requirements) return beforeSwitch;
  checkRequirementsPath(requirements);
  return beforeSwitch ? `${venvCommand(requirements)}\n${beforeSwitch}` : venvCommand(requirements);
}
