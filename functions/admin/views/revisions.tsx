// A post's or page's revisions: the list, newest first; the chosen one compared with the current text (removed text
// in <del>, added text in <ins>, each also named in words for screen readers); and a form restoring it.
import type { DiffPart } from '../../../lib/revision-diff';
import type { Post } from '../../../lib/schemas/post';
import type { Revision, RevisionKind, RevisionSummary } from '../../../lib/schemas/revision';
import type { AuthUser } from '../../../lib/schemas/user';
import { CsrfField } from '../../pages/views/viewer-parts';
import type { WritingKind } from '../posts';
import { AdminLayout, Notice } from './layout';

const kindNames: Record<RevisionKind, string> = { save: 'Saved', autosave: 'Autosaved', restore: 'Restored' };

function When({ at }: { at: string }) {
  return <time datetime={at}>{`${at.slice(0, 10)} ${at.slice(11, 19)} UTC`}</time>;
}

export interface RevisionsPageProps {
  user: AuthUser;
  csrfToken: string;
  kind: WritingKind;
  post: Post;
  revisions: RevisionSummary[];
  selected: Revision | null;
  diff: DiffPart[];
  error?: string;
}

export function RevisionsPage({ user, csrfToken, kind, post, revisions, selected, diff, error }: RevisionsPageProps) {
  const here = `${kind.base}/${post.id}/revisions`;
  const unchanged = diff.every((part) => part.kind === 'same') && selected?.title === post.title;
  return (
    <AdminLayout title={`Revisions: ${post.title}`} user={user}>
      <h1>Revisions of “{post.title}”</h1>
      <p>
        <a href={`${kind.base}/${post.id}/edit`}>Back to the editor</a> · now at version {post.version}
      </p>
      <Notice error={error} />
      <table class="revisions">
        <caption class="visually-hidden">Revisions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Saved</th>
            <th scope="col">By</th>
            <th scope="col">How</th>
            <th scope="col">Version</th>
            <th scope="col">Title</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((revision) => (
            <tr class={revision.id === selected?.id ? 'selected' : undefined}>
              <td>
                <a
                  href={`${here}?revision=${revision.id}`}
                  aria-current={revision.id === selected?.id ? 'true' : undefined}
                >
                  <When at={revision.savedAt} />
                </a>
              </td>
              <td>{revision.author?.displayName ?? 'a deleted account'}</td>
              <td>{kindNames[revision.kind]}</td>
              <td>{revision.version}</td>
              <td>{revision.title}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected ? (
        <section class="revision" aria-labelledby="revision-heading">
          <h2 id="revision-heading">
            Version {selected.version} ({kindNames[selected.kind].toLowerCase()} <When at={selected.savedAt} />) against
            the current text
          </h2>
          {selected.title !== post.title ? (
            <p>
              Title then: <del>{selected.title}</del> · now: <ins>{post.title}</ins>
            </p>
          ) : null}
          {unchanged ? (
            <p>This revision's text is the current text.</p>
          ) : (
            <>
              <p class="muted">
                Changes since this revision: struck through, text it had that the current one has not; underlined, text
                added since.
              </p>
              <pre class="diff" role="region" tabindex={0} aria-label="Changes in the markdown since this revision">
                {diff.map((part) =>
                  part.kind === 'same' ? (
                    part.text
                  ) : part.kind === 'removed' ? (
                    <del>
                      <span class="visually-hidden">[removed since:] </span>
                      {part.text}
                    </del>
                  ) : (
                    <ins>
                      <span class="visually-hidden">[added since:] </span>
                      {part.text}
                    </ins>
                  ),
                )}
              </pre>
            </>
          )}
          <form method="post" action={`${here}/${selected.id}/restore`}>
            <CsrfField token={csrfToken} />
            <input type="hidden" name="version" value={String(post.version)} />
            <button type="submit">Restore version {selected.version}</button>
          </form>
        </section>
      ) : (
        <p>No revisions yet.</p>
      )}
    </AdminLayout>
  );
}
