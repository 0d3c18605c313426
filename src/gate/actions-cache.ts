import * as cache from '@actions/cache';

import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DependencyCache } from './cache.js';

/** @actions/cache, with every failure turned into a warning: a cache problem never fails the gate. */
export function actionsCache(logger: Logger): DependencyCache {
  return {
    async restore(paths, key, restoreKeys) {
      if (!cache.isFeatureAvailable()) {
        logger.info('dependency cache: the Actions cache service is not available here; continuing without it');
        return undefined;
      }
      try {
        return await cache.restoreCache(paths, key, restoreKeys);
      } catch (error) {
        logger.warning(`dependency cache: restore failed, continuing without it: ${errorMessage(error)}`);
        return undefined;
      }
    },
    async save(paths, key) {
      if (!cache.isFeatureAvailable()) return;
      try {
        await cache.saveCache(paths, key);
      } catch (error) {
        logger.warning(`dependency cache: save failed (the gate result stands): ${errorMessage(error)}`);
      }
    },
  };
}
