// The stand-ins are Node servers, so their own tests run in Node (the Worker's suite runs in workerd).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['dev/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
