import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // @actions/workflow-parser (and the languageservice built on it) imports its JSON schema without an import attribute, which Node 20
    // refuses; let vite transform it instead of loading it natively.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/languageservice', '@actions/expressions'] } },
  },
});
