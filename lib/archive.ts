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

// Built on first use: the first Intl formatter loads locale data, which a cold isolate should not pay for at start.
let monthName: Intl.DateTimeFormat | undefined;

function monthLabel(at: Date): string {
  monthName ??= new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return monthName.format(at);
}

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
      month = { key, label: monthLabel(at), posts: [] };
      yearGroup.months.push(month);
    }
    month.posts.push(post);
  }
  return years;
}
