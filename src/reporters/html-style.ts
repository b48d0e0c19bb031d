// The HTML report's only stylesheet, inlined in a <style> element (the page's
// CSP allows inline styles and nothing else). System fonts only.
export const HTML_STYLE = `
:root{--hold:#1a7f37;--fail:#cf222e;--error:#9a6700;--na:#8c959f;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.sub{color:var(--muted);margin:0 0 16px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:0;padding:0}
.tile{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:150px;background:var(--bg)}
.tile dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.tile dd{margin:2px 0 0;font-size:20px;font-weight:600}
.tile dd small{font-size:12px;font-weight:400;color:var(--muted)}
.passed{color:var(--hold)}.failed{color:var(--fail)}
ul.reasons,ul.errors{margin:8px 0 0;padding-left:20px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-size:12px;color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.kind{display:inline-block;font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:3px;padding:0 4px;margin-right:6px}
.parent{display:block;font-size:12px;color:var(--muted)}
.werr{display:block;font-size:12px;color:var(--error)}
svg.layers text{font-size:10px;text-anchor:middle;fill:#fff;font-weight:600}
svg.layers text.sym{font-size:13px}
svg.layers .hold rect{fill:var(--hold)}
svg.layers .fail rect{fill:var(--fail)}
svg.layers .error rect{fill:var(--error)}
svg.layers .na rect{fill:#fff;stroke:var(--na);stroke-dasharray:3 2}
svg.layers .na text{fill:var(--na)}
.legend-row{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 8px;color:var(--muted);font-size:12px}
.sw{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:4px;color:#fff;font-size:10px;text-align:center;line-height:14px}
.sw.hold{background:var(--hold)}.sw.fail{background:var(--fail)}.sw.error{background:var(--error)}.sw.na{border:1px dashed var(--na);color:var(--na)}
.up{color:var(--hold)}.down{color:var(--fail)}.flat{color:var(--muted)}
svg.trend .grid{stroke:var(--line)}
svg.trend .axis{font-size:11px;fill:var(--muted)}
svg.trend .line{fill:none;stroke-width:2}
svg.trend .line.score{stroke:#0969da}
svg.trend .line.depth{stroke:#8250df;stroke-dasharray:5 3}
svg.trend circle.score{fill:#0969da}
svg.trend rect.depth{fill:#8250df}
svg.trend .legend text{font-size:11px;fill:var(--ink)}
.no-history{color:var(--muted);font-style:italic}
details.group{border:1px solid var(--line);border-radius:6px;margin:0 0 8px}
details.group>summary{cursor:pointer;padding:8px 12px;background:var(--bg);border-radius:6px}
details.group[open]>summary{border-bottom:1px solid var(--line);border-radius:6px 6px 0 0}
ol.findings{list-style:none;margin:0;padding:0}
li.finding{padding:8px 12px;border-bottom:1px solid var(--line)}
li.finding:last-child{border-bottom:0}
.sev{display:inline-block;min-width:62px;font-size:11px;font-weight:700;text-transform:uppercase;border-radius:3px;padding:1px 6px;margin-right:6px;text-align:center;color:#fff;background:var(--na)}
.sev-critical{background:#82071e}.sev-high{background:var(--fail)}.sev-medium{background:#bc4c00}.sev-low{background:#4d2d00}.sev-info{background:var(--na)}
.status{font-size:12px;color:var(--muted);margin-right:6px}
.msg{margin:4px 0 0}
.fix{margin:4px 0 0;color:var(--muted)}
.fix b,.waiver b{color:var(--ink)}
.waiver{margin:4px 0 0;color:var(--error)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;background:var(--bg);padding:0 3px;border-radius:3px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;
