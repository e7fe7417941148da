// `npm run openapi:dump -- <file>`: writes the live OpenAPI document to a file, for Spectral and client generators.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildOpenApiDocument } from './openapi-document';

const target = process.argv[2] ?? 'dist/openapi.json';
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
