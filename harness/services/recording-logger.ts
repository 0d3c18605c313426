import type { Logger } from '../../src/core/logger.js';

/** The Logger for unit tests: keeps every line (prefixed by its level), the warnings and the masked values. */
export interface RecordingLogger extends Logger {
  lines: string[];
  warnings: string[];
  masked: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const warnings: string[] = [];
  const masked: string[] = [];
  return {
    lines,
    warnings,
    masked,
    info: (m) => void lines.push(`info: ${m}`),
    warning: (m) => {
      warnings.push(m);
      lines.push(`warning: ${m}`);
    },
    error: (m) => void lines.push(`error: ${m}`),
    debug: () => undefined,
    mask: (s) => void masked.push(s),
    group: (_name, fn) => fn(),
  };
}
