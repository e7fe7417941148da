// Static files that come from npm packages (Swagger UI) are copied into public/ before anything serves public/:
// `npm run dev`, the tests, the bench and deploy. Copied, not committed: the lockfile pins their version.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PUBLIC_DIR = new URL('../public/', import.meta.url).pathname;

/** Swagger UI's browser bundle and stylesheet, served at /static/swagger-ui/ for the offline /docs page. */
const SWAGGER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'];

/** Copies the packaged assets into public/; cheap when they are already there and current. */
export function copyStaticAssets(): void {
  const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const target = join(PUBLIC_DIR, 'static', 'swagger-ui');
  mkdirSync(target, { recursive: true });
  for (const file of SWAGGER_FILES) {
    const from = join(swaggerDir, file);
    const to = join(target, file);
    if (isCurrent(from, to)) continue;
    copyFileSync(from, to);
  }
}

function isCurrent(from: string, to: string): boolean {
  try {
    const source = statSync(from);
    const copy = statSync(to);
    return copy.size === source.size && copy.mtimeMs >= source.mtimeMs;
  } catch {
    return false;
  }
}
