// Page shapes for the API: a page is a post of type `page` (lib/pages), without tags, reactions, views or comments.
import { z } from '@hono/zod-openapi';
import { PostStatus } from './post';
import { CreatePostBody, Post, UpdatePostBody } from './post';

export const Page = Post.pick({
  id: true,
  slug: true,
  title: true,
  excerpt: true,
  excerptCustom: true,
  status: true,
  publishedAt: true,
  author: true,
  html: true,
  markdown: true,
  toc: true,
  version: true,
  createdAt: true,
  updatedAt: true,
}).openapi('Page');
export type Page = z.infer<typeof Page>;

export const PageSummary = Page.pick({
  id: true,
  slug: true,
  title: true,
  excerpt: true,
  status: true,
  publishedAt: true,
  author: true,
}).openapi('PageSummary');
export type PageSummary = z.infer<typeof PageSummary>;

export const PageList = z.object({ items: z.array(PageSummary) }).openapi('PageList');

export const ListPagesQuery = z.object({
  status: z.enum(['published', 'all']).default('published').openapi({
    description: '`all` (drafts and scheduled pages too) needs an editor token.',
  }),
});

const pageSlugNote = {
  description:
    'Derived from the title when omitted. The page is served at `/{slug}`, so a slug an address of the site uses (`admin`, `tags`, `api`…) is refused.',
};

export const CreatePageBody = CreatePostBody.pick({
  title: true,
  markdown: true,
  publishedAt: true,
  excerpt: true,
})
  .extend({
    slug: CreatePostBody.shape.slug.openapi(pageSlugNote),
    status: PostStatus.default('draft'),
  })
  .openapi('CreatePage');
export type CreatePageBody = z.infer<typeof CreatePageBody>;

export const UpdatePageBody = UpdatePostBody.omit({ tags: true })
  .extend({ slug: UpdatePostBody.shape.slug.openapi(pageSlugNote) })
  .openapi('UpdatePage');
export type UpdatePageBody = z.infer<typeof UpdatePageBody>;
