import { existsSync, readFileSync } from 'node:fs';

/**
 * The webhook payload of the triggering event (the file at GITHUB_EVENT_PATH), or undefined when
 * there is no such file. Throws when the file cannot be read or is not JSON: each caller decides
 * what that means for it.
 */
export function readEventPayload<T>(eventPath: string | undefined): T | undefined {
  if (!eventPath || !existsSync(eventPath)) return undefined;
  return JSON.parse(readFileSync(eventPath, 'utf8')) as T;
}
