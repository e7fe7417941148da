// zod's `locales` namespace as the Worker bundles it: English only (wrangler.toml's [alias] points zod's own
// `../locales/index.js` here). zod sets English itself and nothing of ours reads another locale, but the namespace
// object @hono/zod-openapi extends keeps all ~45 of them alive in the bundle: 39 KiB of the gzipped Worker.
export { default as en } from 'zod/v4/locales/en.js';
