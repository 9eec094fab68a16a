import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Adapter tests share loopback servers and data files; two cores do not gain from more forks.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
