// Images as values: which uploads we accept (decided by their bytes, never their name), the content-addressed
// key each one is stored under, and which stored images a post's markdown refers to.
import { hexDigest } from './digest';

/** The upload cap: large enough for a photo, small enough to read into a Worker's memory. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const accepted = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
} as const;

export type ImageType = keyof typeof accepted;
export type ImageExtension = (typeof accepted)[ImageType];

export const IMAGE_TYPES = Object.keys(accepted) as ImageType[];

const typeOfExtension = Object.fromEntries(Object.entries(accepted).map(([type, ext]) => [ext, type])) as Record<
  ImageExtension,
  ImageType
>;

// Each accepted format opens with a fixed signature, and these are the checks a sniffing library makes for them
// (file-type's, which this replaced: it carries ~100 other formats' detectors, 21 KiB of the gzipped Worker).
// Anything that is none of the four is refused, SVG included.
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const signatures: { type: ImageType; parts: [offset: number, bytes: number[]][] }[] = [
  { type: 'image/jpeg', parts: [[0, [0xff, 0xd8, 0xff]]] },
  { type: 'image/png', parts: [[0, [0x89, ...ascii('PNG\r\n\x1a\n')]]] },
  { type: 'image/gif', parts: [[0, ascii('GIF8')]] },
  {
    type: 'image/webp',
    parts: [
      [0, ascii('RIFF')],
      [8, ascii('WEBP')],
    ],
  },
];

function startsWithAt(bytes: Uint8Array, offset: number, expected: number[]): boolean {
  return bytes.length >= offset + expected.length && expected.every((byte, i) => bytes[offset + i] === byte);
}

/** The image type the bytes really are, or null for anything we do not store (SVG included: it can carry script). */
export async function detectImageType(
  bytes: Uint8Array,
): Promise<{ type: ImageType; extension: ImageExtension } | null> {
  const found = signatures.find(({ parts }) =>
    parts.every(([offset, expected]) => startsWithAt(bytes, offset, expected)),
  );
  return found ? { type: found.type, extension: accepted[found.type] } : null;
}

const KEY_PATTERN = /^[0-9a-f]{64}\.(jpg|png|webp|gif)$/;

/** SHA-256 of the bytes plus the detected type's extension: the same image is always the same object. */
export async function imageKey(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
  return `${await hexDigest('SHA-256', bytes)}.${extension}`;
}

export function isImageKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The type an image key was stored as: the key's extension was derived from the bytes at upload. */
export function imageTypeOfKey(key: string): ImageType | null {
  if (!isImageKey(key)) return null;
  return typeOfExtension[key.slice(key.lastIndexOf('.') + 1) as ImageExtension];
}

export const MEDIA_PATH = '/media/';

export function mediaUrl(key: string): string {
  return `${MEDIA_PATH}${key}`;
}

const REFERENCE = /\/media\/([0-9a-f]{64}\.(?:jpg|png|webp|gif))(?![0-9a-z])/g;

/** Every stored image a markdown text links to (relative or absolute /media/ URLs), each once, in order. */
export function mediaKeysIn(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(REFERENCE)].map((match) => match[1] as string))];
}

/** The markdown an editor inserts for an uploaded image. Brackets in the alt text would end it early. */
export function imageMarkdown(key: string, alt: string): string {
  return `![${alt.replace(/[[\]\\]/g, '').trim()}](${mediaUrl(key)})`;
}
