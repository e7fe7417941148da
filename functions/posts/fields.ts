// `fields=` support: trims each post in a list to the requested keys.
import type { PostSummary, SummaryField } from '../../lib/schemas/post';

export function pickFields(post: PostSummary, fields: SummaryField[]): Partial<PostSummary> {
  return Object.fromEntries(fields.map((field) => [field, post[field]]));
}
