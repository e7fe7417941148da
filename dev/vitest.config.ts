// Tests that must run in Node: the stand-ins (Node servers) and checks needing Node-only tools (the OpenAPI
// validator). Everything else runs in workerd through the root vitest.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['dev/test/**/*.test.ts', 'test/node/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
