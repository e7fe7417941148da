// The text tools for whoever runs: the blog Worker reaches the text Worker over its service binding (wrangler.toml
// [[services]] TEXT); Node's CLIs, their tests and the bench hand in the in-process tools first (lib/text/local.ts).
import type { TextTools } from './tools';

let inProcess: TextTools | undefined;

/** For code outside workerd (no service binding): every later call runs these tools in this process. */
export function useLocalTextTools(tools: TextTools): void {
  inProcess = tools;
}

export async function textTools(): Promise<TextTools> {
  if (inProcess) return inProcess;
  // Imported here, not at the top: Node, where the CLIs load this module, has no `cloudflare:workers`.
  const { env } = await import('cloudflare:workers').catch(() => {
    throw new Error('No text tools: outside workerd, call useLocalTextTools(localTextTools) first');
  });
  const binding = (env as { TEXT?: TextTools }).TEXT;
  if (!binding) throw new Error('The TEXT service binding is missing (wrangler.toml [[services]])');
  return binding;
}
