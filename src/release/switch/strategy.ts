import type { HealthExpectation } from '../../core/health.js';
import type { HealthRouting } from '../../core/health-host.js';
import type { ReleaseHost } from '../host.js';

/**
 * How a host starts serving a release once it is uploaded and checked: the step deploy and
 * rollback call where `current` changes. `activate` calls `switched()` the moment the host's
 * live state has changed, so the caller knows a failure after that point needs `revert`.
 */
export interface SwitchStrategy {
  /** Makes `release` the live one; returns notes for the report (health on the side port). */
  activate(host: ReleaseHost, release: string, switched: () => void): Promise<string[]>;
  /** Puts `previous` back after a failure that followed the switch (nothing before a first deploy). */
  revert(host: ReleaseHost, previous: string | undefined, why: string): Promise<void>;
}

/** The health settings a strategy checks a new instance with. */
export interface StrategyHealth {
  expect: HealthExpectation;
  timeoutMs: number;
  /** Host header and X-Forwarded-Proto the probe on the side port sends (health-host). */
  routing?: HealthRouting;
}
