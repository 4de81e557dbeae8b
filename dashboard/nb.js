// Streamlit's and Plotly's own words in Norwegian bokmål (Streamlit offers no language setting).
// Installed once per browser tab by ui.page_css(); translates text nodes and the aria-label,
// title and placeholder attributes as Streamlit draws them, and only exact known phrases.
(() => {
  if (window.__malbildeNb) return;
  window.__malbildeNb = true;
  document.documentElement.lang = "nb";
  const WORDS = {
    "Sidebar": "Sidemeny",
    "Collapse sidebar": "Skjul sidemenyen",
    "Expand sidebar": "Vis sidemenyen",
    "App pages": "Sider",
    "Main menu": "Meny",
    "Skip to main content": "Hopp til innholdet",
    "Choose an option": "Velg",
    "Choose options": "Velg",
    "No results": "Ingen treff",
    "Open": "Åpne",
    "Close": "Lukk",
    "Clear all": "Fjern alle",
    "Clear value": "Fjern",
    "Remove": "Fjern",
    "Help": "Hjelp",
    "Link to heading": "Lenke til overskriften",
    "Decrement": "Mindre",
    "Increment": "Større",
    "Drag and drop files here": "Dra og slipp filer her",
    "Drag and drop a file here": "Dra og slipp en fil her",
    "Drag and drop file here": "Dra og slipp fila her",
    "Browse files": "Velg filer",
    "Upload": "Velg filer",
    "file upload": "filopplasting",
    "Delete": "Fjern",
    "Running...": "Arbeider …",
    "Stop": "Stopp",
    "Rerun": "Last inn på nytt",
    "Settings": "Innstillinger",
    "Print": "Skriv ut",
    "Record a screencast": "Ta opp skjermen",
    "About": "Om",
    "Clear cache": "Tøm hurtigbufferen",
    "Fullscreen": "Fullskjerm",
    "Close fullscreen": "Lukk fullskjerm",
    "Exit fullscreen": "Lukk fullskjerm",
    "Search": "Søk",
    "Show/hide columns": "Vis eller skjul kolonner",
    "Add row": "Legg til rad",
    "Delete row": "Slett rad",
    "Delete rows": "Slett rader",
    "Download as CSV": "Last ned som CSV",
    "Copied to clipboard": "Kopiert",
    "Copy to clipboard": "Kopier",
    "Download plot as a PNG": "Last ned figuren som PNG",
    "Zoom": "Forstørr",
    "Pan": "Flytt",
    "Zoom in": "Forstørr",
    "Zoom out": "Forminsk",
    "Reset axes": "Tilbakestill aksene",
    "Autoscale": "Tilpass",
    "Produced with Plotly.js": "Laget med Plotly.js",
    "Show password text": "Vis passordet",
    "Hide password text": "Skjul passordet",
  };
  const PATTERNS = [
    [/^Help for (.+)$/, "Hjelp for $1"],
    [/^(?:Limit )?(\d+)\s?MB per file$/, "Inntil $1 MB per fil"],
    [/^ • (.+)$/, " · $1"],
    [/^(\d+) files? selected$/, "$1 valgt"],
  ];
  const ATTRS = ["aria-label", "title", "placeholder", "data-title"];
  const norsk = (text) => {
    const core = text.trim();
    if (!core) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, core)) return text.replace(core, WORDS[core]);
    for (const [re, to] of PATTERNS) if (re.test(text)) return text.replace(re, to);
    return null;
  };
  // not the app's own text (Markdown: it may quote a workbook, a chart's SVG draws its data),
  // except a button's label
  const OFF = "script,style,[data-testid=stIconMaterial],svg.main-svg";
  const MD = "[data-testid=stMarkdownContainer]";
  const off = (el) => el.matches(OFF) || el.isContentEditable || (el.matches(MD) && !el.closest("button"));
  const skip = (el) =>
    el &&
    (el.closest(OFF) || (el.closest(MD) && !el.closest("button")) || el.isContentEditable);
  const textFilter = {
    acceptNode: (n) =>
      n.nodeType === Node.ELEMENT_NODE && off(n) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  };
  const fixAttrs = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      const out = v && norsk(v);
      if (out && out !== v) el.setAttribute(a, out);
    }
  };
  const fixText = (n) => {
    const out = norsk(n.nodeValue);
    if (out !== null && out !== n.nodeValue) n.nodeValue = out;
  };
  const SELECTOR = ATTRS.map((a) => `[${a}]`).join(",");
  const fix = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      if (!skip(root.parentElement)) fixText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixAttrs(root);
    root.querySelectorAll(SELECTOR).forEach(fixAttrs);
    if (skip(root)) return;
    // one walk that leaves out whole subtrees (a chart's SVG, Markdown) instead of asking
    // every text node for its ancestors
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, textFilter);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeType === Node.TEXT_NODE) fixText(n);
  };
  let pending = new Set();
  let changed = new Set();
  const flush = () => {
    const roots = pending;
    const attrs = changed;
    pending = new Set();
    changed = new Set();
    for (const r of roots) {
      if (!r.isConnected) continue;
      let inside = false; // a node added inside another added node is walked with it
      for (let p = r.parentNode; p && !inside; p = p.parentNode) inside = roots.has(p);
      if (!inside) fix(r);
    }
    for (const el of attrs) if (el.isConnected) fixAttrs(el);
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "childList") m.addedNodes.forEach((n) => pending.add(n));
      else if (m.type === "attributes") changed.add(m.target);
      else pending.add(m.target);
    }
    if (pending.size || changed.size) requestAnimationFrame(flush);
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS });
  fix(document.body);
})();
