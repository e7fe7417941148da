// @upstash/ratelimit, for lib/auth/rate-limit.ts to `import()` on the first check. The package is CommonJS: imported
// here statically, its exports are named as in ESM wherever the Worker is built; `import()`ed directly by a split
// build (dev/build-worker.ts), it would arrive as a default export only, and `Ratelimit` would be undefined.
export { Ratelimit } from '@upstash/ratelimit';
