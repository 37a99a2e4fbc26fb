
// Live updates. The page is complete without this: on any event from the status stream, fetch the page
// again and swap in the new <main>. EventSource reconnects by itself; after a reconnect we refresh once,
// because events sent while we were away are lost.
(() => {
  "use strict";
  const root = document.documentElement;
  const main = document.getElementById("main");
  const live = document.getElementById("live");
  if (!("EventSource" in window) || !window.fetch || !main || !root.dataset.stream) return;
  let busy = false;
  let again = false;
  let missed = false;

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.pathname + location.search, { cache: "no-store", headers: { Accept: "text/html" } });
      if (response.ok) {
        const next = new DOMParser().parseFromString(await response.text(), "text/html");
        const content = next.getElementById("main");
        if (content) {
          main.replaceChildren(...content.childNodes);
          document.title = next.title;
          if (live) live.textContent = "Status updated.";
        }
      }
    } catch (e) {
      // Offline or restarting: the stream's reconnect brings the next refresh.
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  function connect() {
    const source = new EventSource(root.dataset.stream);
    source.onopen = () => {
      root.dataset.live = "open";
      if (missed) refresh();
      missed = false;
    };
    source.onmessage = refresh;
    for (const name of ["page", "component", "incident", "maintenance"]) source.addEventListener(name, refresh);
    source.onerror = () => {
      missed = true;
      root.dataset.live = "reconnecting";
      // A refused stream (an error status or the wrong content type) is closed for good: start over later.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 30000);
    };
  }

  connect();
})();
