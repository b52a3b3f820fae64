import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // generous: the suite must pass on a loaded 2-core machine, where a controller start alone can take seconds
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: {json: 'test-results.json'},
  },
})
