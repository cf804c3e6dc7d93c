/**
 * The stylesheet every self-contained HTML page of Plumbline starts from (drift report, pipeline
 * check, RCA report): the Okabe–Ito palette as CSS variables in light and dark, type, tables,
 * badges, cards and the SVG classes of `svg.ts`. Each page appends only its own rules.
 */
export const basePageCss = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#5b6470;--card:#f6f7f9;--line:#d9dde3;--ref:#0072B2;--cur:#E69F00;--bad:#D55E00;--ok:#009E73;--warn:#B58900;--info:#56B4E9;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e8eb;--muted:#9aa4b0;--card:#1a1f25;--line:#2c333b;--ref:#56B4E9;--cur:#E69F00;--bad:#F07A3A;--ok:#2BB58A;--warn:#F0E442;--info:#56B4E9}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 24px 64px}h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:40px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}h3{font-size:17px;margin:0}
.muted{color:var(--muted)}.small{font-size:12px}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
.verdict{padding:18px 20px;border-radius:10px;background:var(--card);border-left:6px solid var(--ok);margin:18px 0}.verdict .big{font-size:22px;font-weight:650}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;border:1px solid currentColor;white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
svg{width:100%;height:auto;display:block;font-size:11px;fill:var(--fg)}svg text{fill:var(--muted)}svg .legend text{fill:var(--fg)}
.ref-fill{fill:var(--ref)}.cur-fill{fill:var(--cur)}.cur-line{fill:none;stroke:var(--cur);stroke-width:2.2}.ref-line{fill:none;stroke:var(--ref);stroke-width:2}.axis{stroke:var(--muted)}.grid{stroke:var(--line)}.diag{stroke:var(--muted);stroke-dasharray:4 4}
footer{margin-top:48px;font-size:12px;color:var(--muted)}
`;
