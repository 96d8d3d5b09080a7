import { defineConfig } from 'vitest/config';

// The end-to-end suite: real Chromium, the real build, one file at a time (this machine has two cores).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    retry: 0,
  },
});
