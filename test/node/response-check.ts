// Holds a response to what the OpenAPI document promises for its operation: the status is documented, required
// headers are there, and a JSON body matches the schema (JSON Schema 2020-12, which OpenAPI 3.1 schemas are).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

/** A JSON pointer into the document, as a URI fragment. */
function pointer(...segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
}

export function responseChecker(document: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // Formats OpenAPI adds for tools (a password field, a file): nothing to check in a JSON value.
  ajv.addFormat('password', true);
  ajv.addFormat('binary', true);
  ajv.addSchema(document, 'openapi.json');

  /** Every way `body` breaks the schema of `method path`'s `status` answer in `type` ([] when it fits). */
  function bodyErrors(method: string, path: string, status: number, type: string, body: unknown): string[] {
    const ref = `openapi.json#/${pointer('paths', path, method, 'responses', String(status), 'content', type, 'schema')}`;
    const validate = ajv.getSchema(ref);
    if (!validate) return [`no schema at ${ref}`];
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  /** Every way `response` breaks what the document says `method path` answers ([] when it keeps its word). */
  async function check(method: string, path: string, response: Response): Promise<string[]> {
    const where = `${method.toUpperCase()} ${path} ${response.status}`;
    const operation = document.paths[path]?.[method.toLowerCase()] as Json | undefined;
    if (!operation) return [`${where}: no such operation in the document`];
    const documented = (operation.responses[String(response.status)] ?? operation.responses.default) as Json;
    if (!documented) return [`${where}: the status is not documented`];
    const problems = Object.entries((documented.headers ?? {}) as Json)
      .filter(([name, header]) => header.required && !response.headers.has(name))
      .map(([name]) => `${where}: no ${name} header`);
    const text = await response.clone().text();
    if (!documented.content) return text ? [...problems, `${where}: a body where none is documented`] : problems;
    const type = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    if (!documented.content[type]) return [...problems, `${where}: ${type} is not a documented content type`];
    if (!type.endsWith('json')) return problems;
    const errors = bodyErrors(method.toLowerCase(), path, response.status, type, JSON.parse(text));
    return [...problems, ...errors.map((error) => `${where}: ${error}`)];
  }

  return { check, bodyErrors };
}
