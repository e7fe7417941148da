import { describe, expect, it } from 'vitest';
import { groupByMonth } from '../../lib/archive';
import type { PostSummary } from '../../lib/schemas/post';
import { absoluteUrl, jsonLdText } from '../../lib/seo';

const post = (slug: string, publishedAt: string | null): PostSummary => ({
  id: 1,
  slug,
  title: slug,
  excerpt: '',
  status: 'published',
  publishedAt,
  readingMinutes: 1,
  author: { id: 1, username: 'ada', displayName: 'Ada' },
  tags: [],
});

describe('groupByMonth', () => {
  it('groups newest-first posts into years and months in UTC, keeping their order', () => {
    const years = groupByMonth([
      post('a', '2026-03-31T23:30:00Z'),
      post('b', '2026-03-01T00:00:00Z'),
      post('c', '2026-01-15T12:00:00Z'),
      post('d', '2025-12-31T23:59:59Z'),
      post('unpublished', null),
    ]);
    expect(years.map((y) => y.year)).toEqual([2026, 2025]);
    expect(years[0]?.months.map((m) => [m.key, m.label, m.posts.map((p) => p.slug)])).toEqual([
      ['2026-03', 'March 2026', ['a', 'b']],
      ['2026-01', 'January 2026', ['c']],
    ]);
    expect(years[1]?.months[0]?.posts.map((p) => p.slug)).toEqual(['d']);
  });

  it('returns nothing for no posts', () => {
    expect(groupByMonth([])).toEqual([]);
  });
});

describe('seo helpers', () => {
  it('joins paths to the site URL with or without a trailing slash', () => {
    expect(absoluteUrl('https://x.example/', '/posts/a')).toBe('https://x.example/posts/a');
    expect(absoluteUrl('https://x.example', 'tags')).toBe('https://x.example/tags');
  });

  it('writes JSON-LD that cannot close its script element', () => {
    const text = jsonLdText({ headline: '</script><script>alert(1)</script>' });
    expect(text).not.toContain('<');
    expect(JSON.parse(text).headline).toBe('</script><script>alert(1)</script>');
  });
});
