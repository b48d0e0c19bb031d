import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests share one Docker engine and one sshd; files run in
    // parallel workers, so each test names its containers uniquely.
    pool: 'forks',
  },
});
