// The viewer-specific parts of pages, rendered per request into the slots of a shared page (see lib/viewer.ts).
import type { WebSession } from '../../../lib/auth/web-session';

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

function Nav({ session, path }: SlotContext) {
  if (!session) {
    return (
      <>
        <a href={signInHref(path)}>Sign in</a>
        <a href="/register">Register</a>
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

/** Fills one slot; unknown slots (from a newer deploy's cached page, say) render as nothing. */
export function fillSlot(name: string, _argument: string | undefined, context: SlotContext): string {
  switch (name) {
    case 'nav':
      return String(<Nav {...context} />);
    default:
      return '';
  }
}
