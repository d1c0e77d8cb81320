/** The dashboard's stylesheet, inlined in the page (no CDN, no external file). Colour never carries meaning alone. */
export const DASHBOARD_STYLES = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f4f6f9;
  --surface: #ffffff;
  --surface-muted: #f8fafc;
  --border: #e2e7ee;
  --text: #111827;
  --muted: #5b6575;
  --accent: #2451c7;
  --accent-hover: #1d43a8;
  --accent-text: #ffffff;
  --focus: #2563eb;
  --ok-bg: #e6f5eb;
  --ok-fg: #13652c;
  --ok-border: #a8d9b7;
  --bad-bg: #fdeceb;
  --bad-fg: #a61d16;
  --bad-border: #f2b8b3;
  --warn-bg: #fff4db;
  --warn-fg: #7d4a00;
  --warn-border: #f1d08a;
  --disabled-bg: #d5dae2;
  --disabled-fg: #4b5563;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.05), 0 1px 3px rgba(16, 24, 40, 0.06);
  --radius: 10px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117;
    --surface: #161b22;
    --surface-muted: #1c222b;
    --border: #2d3540;
    --text: #e6edf3;
    --muted: #9aa5b4;
    --accent: #4f7df0;
    --accent-hover: #6a92f5;
    --focus: #79a0ff;
    --ok-bg: #12301d;
    --ok-fg: #7ee2a0;
    --ok-border: #23603a;
    --bad-bg: #3a1414;
    --bad-fg: #ffaaa3;
    --bad-border: #7a2a24;
    --warn-bg: #352708;
    --warn-fg: #f5cc6e;
    --warn-border: #6e5212;
    --disabled-bg: #2d3540;
    --disabled-fg: #9aa5b4;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--text); }
h1, h2, h3 { margin: 0; line-height: 1.25; }
h1 { font-size: 1.25rem; font-weight: 650; }
h2 { font-size: 1rem; font-weight: 650; }
h3 { font-size: 1.125rem; font-weight: 650; }
p { margin: 0; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
.skip-link { position: absolute; left: 1rem; top: -3rem; background: var(--surface); color: var(--accent); padding: 0.5rem 0.75rem; border-radius: 6px; z-index: 10; }
.skip-link:focus { top: 0.75rem; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }

.topbar {
  display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: 1rem clamp(1rem, 4vw, 2.5rem); background: var(--surface); border-bottom: 1px solid var(--border);
}
.brand { display: flex; align-items: center; gap: 0.75rem; }
.logo {
  display: inline-grid; place-items: center; width: 2.25rem; height: 2.25rem; border-radius: 8px;
  background: var(--accent); color: var(--accent-text); font-weight: 700; font-size: 1.1rem;
}
.subtitle { color: var(--muted); font-size: 0.875rem; }
.connection {
  display: inline-flex; align-items: center; gap: 0.45rem; font-size: 0.8125rem; font-weight: 600;
  padding: 0.3rem 0.7rem; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); background: var(--surface-muted);
  white-space: nowrap;
}
.connection .dot { width: 0.55rem; height: 0.55rem; border-radius: 50%; background: var(--muted); }
.connection[data-live="true"] { color: var(--ok-fg); border-color: var(--ok-border); background: var(--ok-bg); }
.connection[data-live="true"] .dot { background: var(--ok-fg); }
.connection[data-live="false"] { color: var(--warn-fg); border-color: var(--warn-border); background: var(--warn-bg); }
.connection[data-live="false"] .dot { background: var(--warn-fg); }

main { max-width: 72rem; margin: 0 auto; padding: 1.5rem clamp(1rem, 4vw, 2.5rem) 3rem; display: grid; gap: 1.25rem; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.25rem 1.5rem; }
.card-header { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.card-hint { color: var(--muted); font-size: 0.8125rem; }
.grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(20rem, 100%), 1fr)); }
/* Grid items default to their content's width: let wide tables scroll inside their card instead. */
main > *, .grid > * { min-width: 0; }

.banner { padding: 0.75rem 1rem; border-radius: 8px; border: 1px solid; }
.banner-error { background: var(--bad-bg); color: var(--bad-fg); border-color: var(--bad-border); }

.resume-body {
  display: flex; align-items: center; justify-content: space-between; gap: 1.25rem; flex-wrap: wrap;
  padding: 1rem 1.25rem; border-radius: 8px; border: 1px solid var(--border); background: var(--surface-muted);
  border-left-width: 4px;
}
.resume-body[data-state="blocked"] { background: var(--bad-bg); border-color: var(--bad-border); }
.resume-body[data-state="ready"] { background: var(--ok-bg); border-color: var(--ok-border); }
.resume-state { display: grid; gap: 0.35rem; min-width: 16rem; flex: 1; }
.resume-body[data-state="blocked"] h3 { color: var(--bad-fg); }
.resume-body[data-state="ready"] h3 { color: var(--ok-fg); }
.preview { display: flex; gap: 1.5rem; margin: 0.35rem 0 0; }
.preview div { display: grid; }
.preview dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.preview dd { margin: 0; font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }

.button {
  font: inherit; font-weight: 600; cursor: pointer; border-radius: 8px; border: 1px solid transparent;
  padding: 0.55rem 1rem; line-height: 1.2; display: inline-flex; align-items: center; gap: 0.5rem;
}
.button-primary { background: var(--accent); color: var(--accent-text); padding: 0.7rem 1.25rem; }
.button-primary:hover:not(:disabled) { background: var(--accent-hover); }
.button-secondary { background: var(--surface); color: var(--text); border-color: var(--border); padding: 0.35rem 0.8rem; font-size: 0.875rem; }
.button-secondary:hover:not([aria-disabled="true"]) { border-color: var(--accent); color: var(--accent); }
.button-primary:disabled { background: var(--disabled-bg); color: var(--disabled-fg); cursor: not-allowed; }
.button-primary[aria-busy="true"]:disabled { background: var(--accent); color: var(--accent-text); opacity: 0.75; cursor: progress; }
.button-secondary[aria-disabled="true"] { cursor: progress; opacity: 0.7; }
.button-secondary[data-attention="true"] { border-color: var(--bad-border); color: var(--bad-fg); }
.button[aria-busy="true"]::before {
  content: ""; width: 0.9rem; height: 0.9rem; border-radius: 50%;
  border: 2px solid currentColor; border-right-color: transparent; animation: spin 0.8s linear infinite;
}
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .button[aria-busy="true"]::before { animation: none; } }

.message:empty { display: none; }
.message { margin-top: 1rem; padding: 0.75rem 1rem; border-radius: 8px; border: 1px solid var(--ok-border); background: var(--ok-bg); color: var(--ok-fg); }
.message[data-kind="error"] { border-color: var(--bad-border); background: var(--bad-bg); color: var(--bad-fg); }
.message[data-kind="info"] { border-color: var(--border); background: var(--surface-muted); color: var(--text); }
.message ul { margin: 0.4rem 0 0; padding-left: 1.25rem; }

.table-wrap { overflow-x: auto; position: relative; }
table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.7rem 0.75rem; border-bottom: 1px solid var(--border); vertical-align: middle; }
thead th { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; background: var(--surface-muted); }
tbody tr:last-child > * { border-bottom: none; }
tbody th { font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; }
td.actions { text-align: right; white-space: nowrap; }
.subtle { display: block; color: var(--muted); font-size: 0.8125rem; margin-top: 0.2rem; }
.badge {
  display: inline-flex; align-items: center; gap: 0.35rem; font-size: 0.8125rem; font-weight: 650;
  padding: 0.15rem 0.6rem; border-radius: 999px; border: 1px solid var(--border); white-space: nowrap;
}
.badge[data-tone="ok"] { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-border); }
.badge[data-tone="bad"] { background: var(--bad-bg); color: var(--bad-fg); border-color: var(--bad-border); }
.badge[data-tone="warn"] { background: var(--warn-bg); color: var(--warn-fg); border-color: var(--warn-border); }

.counts { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr)); gap: 0.6rem; }
.counts li { border: 1px solid var(--border); border-radius: 8px; padding: 0.6rem 0.8rem; background: var(--surface-muted); border-top-width: 3px; }
.counts li[data-tone="ok"] { border-top-color: var(--ok-fg); }
.counts li[data-tone="bad"] { border-top-color: var(--bad-fg); }
.counts li[data-tone="warn"] { border-top-color: var(--warn-fg); }
.counts .label { display: block; font-size: 0.75rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
.counts .count { display: block; font-size: 1.5rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card > h2 { margin-bottom: 1rem; }

.last-report { display: grid; gap: 0.25rem; }
.last-report .meta { color: var(--muted); font-size: 0.8125rem; }
.last-report ul { margin: 0.25rem 0 0; padding-left: 1.25rem; color: var(--bad-fg); }
`;
