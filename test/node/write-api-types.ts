// `npm run openapi:types`: regenerates test/node/api-types.ts from the live OpenAPI document.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './openapi-document';
import { generateApiTypes } from './typegen/generate';

const target = fileURLToPath(new URL('./api-types.ts', import.meta.url));
writeFileSync(target, await generateApiTypes(await buildOpenApiDocument(), target));
console.log(`wrote ${target}`);
