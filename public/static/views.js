// Counts one view of this post. The page may come from the edge cache, where the Worker never runs, so the count is
// a beacon to a small uncached endpoint: at most once an hour per post from this browser (the server also counts a
// visitor at most once an hour). Reading never depends on it.
(() => {
  const slug = document.currentScript && document.currentScript.dataset.post;
  if (!slug || !navigator.sendBeacon) return;
  const seen = `lembas:viewed:${slug}`;
  try {
    if (Date.now() - Number(localStorage.getItem(seen)) < 3_600_000) return;
    localStorage.setItem(seen, String(Date.now()));
  } catch {
    // Storage off (private mode, a policy): the server's hourly limit still applies.
  }
  navigator.sendBeacon(`/api/posts/by-slug/${encodeURIComponent(slug)}/views`);
})();
