import { ConfigurationError } from '../../core/errors.js';
import { splitFields } from './rules.js';

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  suffix: string;
  /** `onlatest=true` after prefix=/suffix=: the latest tag gets it too. */
  prefixLatest: boolean;
  suffixLatest: boolean;
}

/** The `flavor` input: lines of `latest=…`, `prefix=…[,onlatest=true]`, `suffix=…[,onlatest=true]`. */
export function parseFlavor(lines: readonly string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', suffix: '', prefixLatest: false, suffixLatest: false };
  for (const line of lines) {
    let onLatestFor: 'prefix' | 'suffix' | undefined;
    for (const field of splitFields(line)) {
      const eq = field.indexOf('=');
      const key = eq > 0 ? field.slice(0, eq).trim().toLowerCase() : '';
      const value = eq > 0 ? field.slice(eq + 1).trim() : '';
      if (key === 'latest') {
        if (value !== 'auto' && value !== 'true' && value !== 'false')
          throw new ConfigurationError(`input "flavor": latest must be auto, true or false, got "${value}"`);
        flavor.latest = value;
      } else if (key === 'prefix' || key === 'suffix') {
        flavor[key] = value;
        onLatestFor = key;
      } else if (key === 'onlatest') {
        if (value !== 'true' && value !== 'false')
          throw new ConfigurationError(`input "flavor": onlatest must be true or false, got "${value}"`);
        if (!onLatestFor)
          throw new ConfigurationError(`input "flavor": onlatest= follows prefix= or suffix= on the same line, got "${line}"`);
        flavor[`${onLatestFor}Latest`] = value === 'true';
      } else throw new ConfigurationError(`input "flavor": expected latest=, prefix=, suffix= or onlatest=, got "${line}"`);
    }
  }
  return flavor;
}
