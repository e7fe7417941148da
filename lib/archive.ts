// The archive's shape: published posts grouped by year, then month, newest first. Pure, so it is unit-tested.
import type { PostSummary } from './schemas/post';

export interface ArchiveMonth {
  /** `2026-11`: an anchor id and a stable key. */
  key: string;
  /** `November 2026`. */
  label: string;
  posts: PostSummary[];
}

export interface ArchiveYear {
  year: number;
  months: ArchiveMonth[];
}

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Keeps the input order (newest first) inside each month; months and years follow the posts' order. */
export function groupByMonth(posts: PostSummary[]): ArchiveYear[] {
  const years: ArchiveYear[] = [];
  for (const post of posts) {
    if (!post.publishedAt) continue;
    const at = new Date(post.publishedAt);
    const year = at.getUTCFullYear();
    const key = `${year}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
    let yearGroup = years.at(-1);
    if (yearGroup?.year !== year) {
      yearGroup = { year, months: [] };
      years.push(yearGroup);
    }
    let month = yearGroup.months.at(-1);
    if (month?.key !== key) {
      month = { key, label: monthName.format(at), posts: [] };
      yearGroup.months.push(month);
    }
    month.posts.push(post);
  }
  return years;
}
