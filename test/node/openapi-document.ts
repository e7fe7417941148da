// The live OpenAPI document, built in Node by the Worker itself (no server, no database: building it touches neither).
import worker from '../../functions/index';

const DOCUMENT_ORIGIN = 'https://blog.example';

const env = {
  DATABASE_URL: 'postgres://user:pass@db.example/blog',
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
  UPSTASH_REDIS_REST_TOKEN: 'unused',
  JWT_SECRET: 'x'.repeat(32),
  SITE_URL: DOCUMENT_ORIGIN,
};
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

export async function buildOpenApiDocument(): Promise<Record<string, any>> {
  const response = await worker.fetch(new Request(`${DOCUMENT_ORIGIN}/openapi.json`), env as never, ctx);
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}: ${await response.text()}`);
  return response.json() as Promise<Record<string, any>>;
}
