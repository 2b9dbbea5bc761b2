/**
 * The pages' one stylesheet. Kept as a string module (not a .css file) because the server ships as one
 * esbuild bundle (dist/server.js) without its sources; served at a content-hashed URL.
 */
export const STYLESHEET = `
:root{--ink:#17202c;--muted:#4a5566;--line:#d5dbe3;--bg:#f6f8fa;--card:#fff;--brand:#0b6e5f;--brand-ink:#fff;
--link:#0a58a8;--danger:#b3261e;--danger-bg:#fdecea;--ok:#0b6e3a;--ok-bg:#e7f6ec;--warn-bg:#fff6db;--warn:#6b4a00;
--focus:#1d4ed8;--radius:8px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg);line-height:1.5}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;flex-direction:column}
a{color:var(--link)}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem;top:1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.site{background:var(--card);border-bottom:1px solid var(--line)}
header.site .bar{max-width:72rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;
align-items:center;justify-content:space-between}
.logo{font-weight:700;font-size:1.2rem;color:var(--ink);text-decoration:none}
.logo span{color:var(--brand)}
nav.main ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
nav.main a{text-decoration:none;padding:.25rem 0}
nav.main a[aria-current=page]{font-weight:600;border-bottom:2px solid var(--brand)}
nav.main form{margin:0}
main{flex:1;width:100%;max-width:72rem;margin:0 auto;padding:1.5rem 1rem 3rem}
main.narrow{max-width:30rem}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
footer.site p{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.9rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:0 0 .75rem}
h3{font-size:1.05rem;margin:0 0 .5rem}
.lead{font-size:1.15rem;color:var(--muted);max-width:44rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.25rem;margin:0 0 1.25rem}
.grid{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.plans .card{display:flex;flex-direction:column;margin:0}
.plans .card.current{border:2px solid var(--brand)}
.price{font-size:1.8rem;font-weight:700;margin:.25rem 0}
.price small{font-size:1rem;font-weight:400;color:var(--muted)}
ul.features{padding-left:1.1rem;margin:.5rem 0 1rem;flex:1}
ul.features li.no{color:var(--muted)}
code,kbd,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}
pre{background:#0f1720;color:#e6edf3;padding:1rem;border-radius:var(--radius);overflow-x:auto}
.steps li{margin:.4rem 0}
form.stack{display:flex;flex-direction:column;gap:1rem}
.field{display:flex;flex-direction:column;gap:.3rem}
label{font-weight:600}
.hint{color:var(--muted);font-size:.9rem;margin:0}
input[type=text],input[type=email],input[type=password],input[type=search],input[type=date],select{font:inherit;
padding:.55rem .7rem;border:1px solid #8a94a3;border-radius:6px;background:#fff;color:var(--ink);width:100%}
input[aria-invalid=true]{border-color:var(--danger);border-width:2px}
.error-text{color:var(--danger);font-size:.9rem;margin:0;font-weight:600}
.button,button{font:inherit;font-weight:600;display:inline-flex;align-items:center;justify-content:center;gap:.4rem;
padding:.55rem 1rem;border-radius:6px;border:1px solid var(--brand);background:var(--brand);color:var(--brand-ink);
cursor:pointer;text-decoration:none;min-height:2.5rem}
.button.secondary,button.secondary{background:var(--card);color:var(--brand)}
button.danger{background:var(--danger);border-color:var(--danger);color:#fff}
button.link{background:none;border:none;color:var(--link);padding:0;min-height:0;font-weight:400;text-decoration:underline}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.alert{border-radius:var(--radius);padding:.85rem 1rem;margin:0 0 1.25rem;border:1px solid}
.alert.error{background:var(--danger-bg);border-color:var(--danger);color:#5c0f0a}
.alert.success{background:var(--ok-bg);border-color:var(--ok);color:#073d20}
.alert.info{background:var(--warn-bg);border-color:#c99a00;color:var(--warn)}
.alert p{margin:.25rem 0}
.divider{display:flex;align-items:center;gap:.75rem;color:var(--muted)}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid var(--line)}
.code-box{font-family:ui-monospace,monospace;font-size:1.6rem;letter-spacing:.15em;text-align:center;
background:var(--bg);border:1px dashed var(--line);border-radius:var(--radius);padding:.75rem}
.secret{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.secret code{background:var(--bg);border:1px solid var(--line);padding:.5rem;border-radius:6px;word-break:break-all;flex:1}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem 1rem;margin:0 0 1rem}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;margin-left:.35rem;padding:0 .4rem;border-radius:4px;background:var(--bg);border:1px solid var(--line);
font-size:.85rem;margin-bottom:.2rem}
td .tag:first-child{margin-left:0}
.tag.charged{background:var(--warn-bg);border-color:#c99a00;color:var(--warn)}
.tag.free{background:var(--ok-bg);border-color:var(--ok);color:#073d20}
.tag.interrupted{background:var(--bg);border-color:#8a94a3;color:var(--muted)}
.tag.pending{background:#eef4ff;border-color:#5b7fc7;color:#1d3a78}
.button[aria-disabled=true],button:disabled{opacity:.55;cursor:not-allowed}
ol.steps li{margin:.4rem 0}
pre.command{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;overflow-x:auto;
margin:.3rem 0 .6rem}
.chart .limit{stroke:#b3261e;stroke-dasharray:6 4}
.chart text.limit-label{fill:#b3261e;font-size:13px}
form.filters{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));align-items:end;margin-bottom:1rem}
.chart{margin:1rem 0}
.chart svg{width:100%;height:auto;display:block}
.chart .bar-charged{fill:#0b6e5f}
.chart .bar-free{fill:#9ccfc4}
.chart .axis{stroke:#8a94a3}
.chart text{font-size:14px;fill:#4a5566}
meter{width:100%;height:1rem}
.legend{display:flex;gap:1rem;flex-wrap:wrap;font-size:.9rem;color:var(--muted)}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:middle}
.swatch.charged{background:#0b6e5f}.swatch.free{background:#9ccfc4}
.pager{display:flex;gap:1rem;justify-content:space-between;margin-top:1rem;flex-wrap:wrap}
.split{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))}
@media (max-width:40rem){h1{font-size:1.5rem}.card{padding:1rem}th.optional,td.optional{display:none}
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.cards tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0}
table.cards td{display:flex;justify-content:space-between;gap:1rem;border:none;padding:.15rem 0;text-align:right}
table.cards td::before{content:attr(data-label);font-weight:600;color:var(--muted);text-align:left}
table.cards td.optional{display:none}
.code-box{font-size:1.3rem}}
`;
