import { describe, expect, it } from 'vitest';
import { detectImageType, imageKey, imageMarkdown, imageTypeOfKey, mediaKeysIn } from '../../lib/images';
import { imageBytes } from '../fixtures/images';

const KEY = `${'a'.repeat(64)}.png`;
const OTHER = `${'b'.repeat(64)}.webp`;

describe('detectImageType', () => {
  it.each([
    ['jpeg', 'image/jpeg', 'jpg'],
    ['png', 'image/png', 'png'],
    ['webp', 'image/webp', 'webp'],
    ['gif', 'image/gif', 'gif'],
  ] as const)('recognises %s by its bytes', async (kind, type, extension) => {
    expect(await detectImageType(imageBytes(kind))).toEqual({ type, extension });
  });

  it('refuses text, SVG, PDF and nothing at all', async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(await detectImageType(encode('just some text pretending to be a PNG'))).toBeNull();
    expect(
      await detectImageType(encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
    ).toBeNull();
    expect(await detectImageType(encode('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBeNull();
    expect(await detectImageType(new Uint8Array())).toBeNull();
  });
});

describe('imageKey', () => {
  it('is the SHA-256 of the bytes with the extension, the same for the same bytes', async () => {
    const key = await imageKey(imageBytes('png'), 'png');
    expect(key).toMatch(/^[0-9a-f]{64}\.png$/);
    expect(await imageKey(imageBytes('png'), 'png')).toBe(key);
    expect(await imageKey(imageBytes('gif'), 'gif')).not.toBe(key);
  });

  it('tells the type back from a key, and nothing from a malformed one', () => {
    expect(imageTypeOfKey(KEY)).toBe('image/png');
    expect(imageTypeOfKey(OTHER)).toBe('image/webp');
    expect(imageTypeOfKey(`${'a'.repeat(64)}.svg`)).toBeNull();
    expect(imageTypeOfKey(`../${KEY}`)).toBeNull();
  });
});

describe('mediaKeysIn', () => {
  it('finds relative and absolute links to stored images, each once', () => {
    const markdown = `![a](/media/${KEY}) and ![b](https://blog.example/media/${OTHER}) and again ![c](/media/${KEY})`;
    expect(mediaKeysIn(markdown)).toEqual([KEY, OTHER]);
  });

  it('ignores other images and keys that run on', () => {
    expect(mediaKeysIn(`![x](/images/${KEY}) ![y](/media/${KEY}x) ![z](https://elsewhere.example/a.png)`)).toEqual([]);
  });
});

describe('imageMarkdown', () => {
  it('links the image with an alt text that cannot close the brackets early', () => {
    expect(imageMarkdown(KEY, 'a [tricky] name\\')).toBe(`![a tricky name](/media/${KEY})`);
  });
});
