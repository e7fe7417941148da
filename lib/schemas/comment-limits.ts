// The comment and reaction bounds the post page shows (the form's length limit, the reaction buttons, a thread's
// first page), apart from the schemas in ./comment.ts, which re-exports them: a page needs these values, not the API's
// comment shapes, and building those was part of every cold start.

/** Long enough for a considered reply; the database allows 10 KB so the limit can rise without a migration. */
export const MAX_COMMENT_LENGTH = 5_000;

export const DEFAULT_THREAD_PAGE = 50;

export const REACTION_KINDS = ['like', 'insightful', 'celebrate'] as const;
