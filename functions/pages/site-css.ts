// The whole stylesheet, served from the Worker so pages need no inline style (the CSP forbids it).
export const SITE_CSS = `
:root { --fg: #1d1d1f; --muted: #5f5f64; --accent: #2f6f4f; --bg: #fdfcf8; --rule: #e6e2d8; --code-bg: #f3f1ea; --field: #fff; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e6e1; --muted: #a3a19b; --accent: #8fd0ad; --bg: #161714; --rule: #34352f; --code-bg: #22231f; --field: #22231f; }
}
a:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.65 Georgia, 'Iowan Old Style', serif; color: var(--fg); background: var(--bg); }
main, .site-header, .site-footer { max-width: 44rem; margin: 0 auto; padding: 0 1.25rem; }
.site-header { display: flex; justify-content: space-between; align-items: baseline; padding-top: 1.5rem; padding-bottom: 1rem; border-bottom: 1px solid var(--rule); }
.site-header nav { display: flex; align-items: baseline; gap: 1rem; }
.search input { font: inherit; font-size: .9rem; padding: .2rem .5rem; border: 1px solid var(--rule); border-radius: 4px; background: var(--field); color: var(--fg); width: 11rem; }
.list-heading { font-size: 1.6rem; margin: 1.5rem 0 0; }
.toc-title { margin: 0 0 .3rem; font-weight: bold; color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .05em; }
.tag { text-decoration: none; }
.site-name { font-weight: bold; font-size: 1.3rem; text-decoration: none; color: var(--fg); }
a { color: var(--accent); }
.post-list { list-style: none; padding: 0; }
.post-list li { padding: 1.25rem 0; border-bottom: 1px solid var(--rule); }
.post-list h2 { margin: 0 0 .25rem; font-size: 1.4rem; }
.post-list h2 a { text-decoration: none; color: var(--fg); }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.tag { display: inline-block; margin-right: .5rem; font-size: .85rem; color: var(--accent); }
.toc { border-left: 3px solid var(--rule); padding-left: 1rem; margin: 1.5rem 0; font-size: .95rem; }
.toc ol { list-style: none; padding: 0; margin: 0; }
.toc-3 { padding-left: 1rem; }
.post-body pre { overflow-x: auto; background: var(--code-bg); padding: 1rem; border-radius: 6px; font-size: .9rem; }
.post-body code { font-family: ui-monospace, Menlo, monospace; }
.post-body img { max-width: 100%; }
.post-body blockquote { margin-left: 0; padding-left: 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
.post-body table { border-collapse: collapse; }
.post-body th, .post-body td { border: 1px solid var(--rule); padding: .3rem .6rem; }
.pager { padding: 1.5rem 0; text-align: right; }
.error-page { padding: 3rem 0; }
.error-status { font-size: 4rem; margin: 0; color: var(--rule); font-weight: bold; }
.site-footer { padding-top: 2rem; padding-bottom: 2rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 600px) {
  body { font-size: 17px; }
  .site-header { flex-wrap: wrap; gap: .5rem; }
  .search input { width: 8rem; }
}
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
/* Reader accounts, comments and reactions (functions/pages/account.tsx, views/viewer-parts.tsx). */
.inline-form { display: inline; margin: 0; }
.link-button { font: inherit; background: none; border: none; padding: 0; color: var(--accent); text-decoration: underline; cursor: pointer; }
.viewer-name { color: var(--muted); }
.account-form form, .comment-form { display: grid; gap: .6rem; max-width: 26rem; }
.account-form input, .comment-form textarea { font: inherit; font-size: 1rem; padding: .35rem .5rem; border: 1px solid var(--rule); border-radius: 4px; background: var(--field); color: var(--fg); width: 100%; }
.account-form label { display: grid; gap: .2rem; }
.form-error, .field-error { color: #b3261e; }
button { font: inherit; cursor: pointer; }
`;
