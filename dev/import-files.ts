// What `npm run import` reads: markdown files named one by one, folders (walked for .md/.markdown), and zip archives
// (our own export), in a stable order so two runs walk the same files the same way.
import { unzipSync } from 'fflate';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface InputFile {
  /** As the summary names it: relative to a folder given, or inside an archive as `archive.zip:posts/x.md`. */
  path: string;
  text: string;
}

const MARKDOWN = /\.(md|markdown)$/i;

export async function readInputs(paths: string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      for (const name of await walk(path)) {
        files.push({ path: join(path, name), text: await readFile(join(path, name), 'utf8') });
      }
    } else if (/\.zip$/i.test(path)) {
      const entries = unzipSync(new Uint8Array(await readFile(path)), { filter: (entry) => MARKDOWN.test(entry.name) });
      for (const name of Object.keys(entries).sort()) {
        files.push({ path: `${path}:${name}`, text: Buffer.from(entries[name] ?? []).toString('utf8') });
      }
    } else {
      files.push({ path, text: await readFile(path, 'utf8') });
    }
  }
  return files;
}

/** Markdown files under a folder, relative to it, sorted; hidden folders and node_modules are skipped. */
async function walk(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && MARKDOWN.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !path.split(/[\\/]/).some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort();
}
