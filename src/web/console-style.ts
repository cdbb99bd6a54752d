/** The console's stylesheet, served from `/assets/console.css` (CSP `style-src 'self'`: no inline style). */
export const CONSOLE_STYLE = `:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #5c6570; --line: #d0d7de;
  --accent: #0b5cad; --bad: #b3261e; --ok: #1a7f37; --card: #f6f8fa; font-family: system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9aa4ae; --line: #30363d;
  --accent: #58a6ff; --bad: #ff7b72; --ok: #3fb950; --card: #161b22; } }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .5rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
.brand { font-weight: 700; letter-spacing: .05em; }
header nav ul { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; margin: 0; padding: 0; }
header nav a[aria-current="page"] { font-weight: 700; text-decoration: none; border-bottom: 2px solid var(--accent); }
.whoami { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
main { padding: 1rem 1.5rem 3rem; max-width: 90rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; }
.muted { color: var(--muted); } .bad { color: var(--bad); font-weight: 600; } .ok { color: var(--ok); font-weight: 600; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; margin-bottom: 1rem; background: var(--card); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
table.grid { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.grid th, table.grid td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
table.grid thead th { border-bottom: 2px solid var(--line); }
form.filters, form.bulk, form.api-form { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0 1rem; }
label { display: inline-flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: .25rem .4rem; }
button { cursor: pointer; background: var(--card); } button:focus-visible, a:focus-visible, input:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.sev { display: inline-block; min-width: 5.5rem; padding: 0 .4rem; border-radius: 3px; font-size: .8rem; font-weight: 600; text-transform: uppercase; border: 1px solid currentColor; }
.sev-critical { color: #a40e26; } .sev-high { color: #bc4c00; } .sev-medium { color: #7d5e00; } .sev-low { color: #0b5cad; } .sev-informational { color: var(--muted); }
@media (prefers-color-scheme: dark) { .sev-critical { color: #ff7b72; } .sev-high { color: #ffa657; } .sev-medium { color: #e3b341; } .sev-low { color: #58a6ff; } }
.token code { background: var(--card); padding: 0 .25rem; border-radius: 3px; }
.reveal { font-size: .75rem; padding: 0 .3rem; margin-left: .25rem; }
.revealed { font-weight: 600; }
pre.proof, pre.event-json { background: var(--card); padding: .75rem; overflow-x: auto; font-size: .8rem; border-radius: 4px; }
ul.stories { padding-left: 1.2rem; } ul.stories li { margin-bottom: .35rem; }
table.timeline th { font-weight: 400; padding-right: 1rem; text-align: left; } meter { width: 16rem; }
output.form-result { color: var(--bad); }
`;
