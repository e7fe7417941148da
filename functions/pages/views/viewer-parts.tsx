// The viewer-specific parts of pages, rendered per request into the slots of a shared page (see lib/viewer.ts).
import type { WebSession } from '../../../lib/auth/web-session';
import { MAX_COMMENT_LENGTH, REACTION_KINDS } from '../../../lib/schemas/comment-limits';
import type { ReactionKind } from '../../../lib/schemas/comment';
import { decodeCounts } from '../../../lib/viewer';

/** The hidden field every state-changing form carries (checked by requireSignedIn). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export interface SlotContext {
  session: WebSession | null;
  /** The page's own path: sign-in links come back here; the post page's forms post below it. */
  path: string;
}

function signInHref(path: string): string {
  return `/login?next=${encodeURIComponent(path)}`;
}

/** `registration` is the nav slot's argument: 'closed' when the settings close sign-up. */
function Nav({ session, path, registration }: SlotContext & { registration?: string }) {
  if (!session) {
    return (
      <>
        <a href={signInHref(path)}>Sign in</a>
        {registration === 'closed' ? null : <a href="/register">Register</a>}
      </>
    );
  }
  return (
    <>
      <span class="viewer-name">{session.user.displayName}</span>
      <form class="inline-form" method="post" action="/logout">
        <CsrfField token={session.csrfToken} />
        <button type="submit" class="link-button">
          Sign out
        </button>
      </form>
    </>
  );
}

function CommentForm({ session, path, parentId }: SlotContext & { parentId?: string }) {
  if (!session) {
    return parentId ? null : (
      <p class="muted">
        <a href={signInHref(`${path}#comments`)}>Sign in</a> to join the conversation.
      </p>
    );
  }
  const form = (
    <form class="comment-form" method="post" action={`${path}/comments`}>
      <CsrfField token={session.csrfToken} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <label>
        {parentId ? 'Your reply' : `Comment as ${session.user.displayName}`}
        <textarea name="body" rows={parentId ? 3 : 5} maxlength={MAX_COMMENT_LENGTH} required></textarea>
      </label>
      <p class="muted">Markdown: *emphasis*, `code`, [links](https://…), &gt; quotes and lists.</p>
      <button type="submit">{parentId ? 'Reply' : 'Post comment'}</button>
    </form>
  );
  return parentId ? (
    <details class="reply">
      <summary>Reply</summary>
      {form}
    </details>
  ) : (
    form
  );
}

export const REACTION_LABELS: Record<ReactionKind, string> = {
  like: '👍 Like',
  insightful: '💡 Insightful',
  celebrate: '🎉 Celebrate',
};

/** One button per kind: a form post that works without JavaScript, pressed when the viewer has reacted. */
function Reactions({ session, path, counts }: SlotContext & { counts: Record<string, number> }) {
  return (
    <div class="reactions" id="reactions">
      {REACTION_KINDS.map((kind) => {
        const label = `${REACTION_LABELS[kind]} ${counts[kind] ?? 0}`;
        if (!session) return <span class="reaction">{label}</span>;
        const mine = session.reactions.includes(kind);
        return (
          <form class="inline-form" method="post" action={`${path}/reactions/${kind}`}>
            <CsrfField token={session.csrfToken} />
            <input type="hidden" name="on" value={mine ? 'false' : 'true'} />
            <button type="submit" class="reaction" aria-pressed={mine ? 'true' : 'false'}>
              {label}
            </button>
          </form>
        );
      })}
      {session ? null : (
        <a class="muted" href={signInHref(`${path}#reactions`)}>
          Sign in to react
        </a>
      )}
    </div>
  );
}

/**
 * The footer's newsletter form. A visitor's is the same for everyone (the page is shared in the edge cache), so it
 * carries no CSRF token: POST /subscribe relies on the Origin check (functions/subscribers/pages.tsx). A signed-in
 * reader's is one click on their own address, with their token, showing whether they already get the mails.
 */
function Subscribe({ session, path }: SlotContext) {
  // The subscribe pages have the form in their body.
  if (path === '/subscribe' || path.startsWith('/subscribe/')) return null;
  if (!session) {
    return (
      <form class="subscribe-form" method="post" action="/subscribe">
        <label for="subscribe-email">Get new posts by email</label>
        <input id="subscribe-email" type="email" name="email" required autocomplete="email" maxlength={254} />
        <button type="submit">Subscribe</button>
      </form>
    );
  }
  const subscribed = session.subscription === 'confirmed';
  return (
    <form class="subscribe-form" method="post" action="/subscribe/account">
      <CsrfField token={session.csrfToken} />
      <input type="hidden" name="subscribe" value={subscribed ? 'false' : 'true'} />
      <input type="hidden" name="next" value={path} />
      <span>
        {subscribed
          ? 'Subscribed: new posts come to you by email.'
          : session.subscription === 'pending'
            ? 'Check your inbox to confirm your subscription.'
            : 'Get new posts by email.'}
      </span>{' '}
      <button type="submit">{subscribed ? 'Unsubscribe' : 'Subscribe'}</button>
    </form>
  );
}

/** Fills one slot; unknown slots (from a newer deploy's cached page, say) render as nothing. */
export function fillSlot(name: string, argument: string | undefined, context: SlotContext): string {
  switch (name) {
    case 'nav':
      return String(<Nav {...context} registration={argument} />);
    case 'comment-form':
      return String(<CommentForm {...context} />);
    case 'reply-form':
      return argument && /^\d+$/.test(argument) ? String(<CommentForm {...context} parentId={argument} />) : '';
    case 'reactions':
      return String(<Reactions {...context} counts={decodeCounts(argument)} />);
    case 'subscribe':
      return String(<Subscribe {...context} />);
    default:
      return '';
  }
}
