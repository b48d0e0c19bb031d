// Inline SVG for the HTML report: a workload's layers as a row of cells, and
// the estate's score and depth over the recorded history as a line chart.
// Every state is told by a symbol and a text label, never by colour alone.
import { LAYERS, type Layer } from '../model/check.js';
import type { LayerScore } from '../model/report.js';
import { escapeHtml } from './html-escape.js';

export type LayerState = 'hold' | 'fail' | 'error' | 'na';

/** Short labels for the layer cells; the full name is in each cell's title. */
export const LAYER_ABBREVIATIONS: Record<Layer, string> = {
  isolation: 'ISO',
  'least-privilege': 'PRIV',
  confinement: 'CONF',
  immutability: 'IMM',
  provenance: 'PROV',
  'resource-limits': 'RES',
  segmentation: 'SEG',
  access: 'ACC',
  patching: 'PAT',
};

const STATE_TEXT: Record<LayerState, { symbol: string; words: string }> = {
  hold: { symbol: '\u2713', words: 'holds' },
  fail: { symbol: '\u2717', words: 'fails' },
  error: { symbol: '!', words: 'not evaluated (error)' },
  na: { symbol: '\u2013', words: 'not applicable' },
};

export function layerState(layer: LayerScore | undefined): LayerState {
  if (!layer || layer.holds === null) return layer && layer.counts.error > 0 ? 'error' : 'na';
  return layer.holds ? 'hold' : 'fail';
}

const CELL_W = 44;
const CELL_H = 34;
const GAP = 3;
export const LAYER_ROW_WIDTH = LAYERS.length * (CELL_W + GAP) - GAP;

/** One row of nine cells, in LAYERS order, each with its abbreviation and a symbol. */
export function layerRowSvg(layers: readonly LayerScore[], holding: number, applicable: number): string {
  const byLayer = new Map(layers.map((l) => [l.layer, l]));
  const parts: string[] = [];
  // Failing and unevaluated layers are named in the label; every cell also has its own title.
  const described: string[] = [];
  LAYERS.forEach((layer, i) => {
    const l = byLayer.get(layer);
    const state = layerState(l);
    const text = STATE_TEXT[state];
    const score = l?.score === null || l?.score === undefined ? '' : `, score ${Math.round(l.score)}`;
    if (state === 'fail' || state === 'error') described.push(`${layer} ${text.words}`);
    const x = i * (CELL_W + GAP);
    parts.push(
      `<g class="cell ${state}"><title>${layer}: ${text.words}${score}</title>` +
        `<rect x="${x}" y="0" width="${CELL_W}" height="${CELL_H}" rx="4"/>` +
        `<text x="${x + CELL_W / 2}" y="14">${LAYER_ABBREVIATIONS[layer]}</text>` +
        `<text class="sym" x="${x + CELL_W / 2}" y="29">${text.symbol}</text></g>`,
    );
  });
  const label = `${holding} of ${applicable} applicable layers hold${described.length ? `; ${described.join(', ')}` : ''}`;
  return (
    `<svg class="layers" role="img" aria-label="${escapeHtml(label)}" data-holding="${holding}" data-applicable="${applicable}" ` +
    `width="${LAYER_ROW_WIDTH}" height="${CELL_H}" viewBox="0 0 ${LAYER_ROW_WIDTH} ${CELL_H}">${parts.join('')}</svg>`
  );
}

/** One scan of the estate as the chart plots it. */
export interface EstatePoint {
  scanId: string;
  at: string;
  /** Mean own score of the workloads that have one. */
  meanScore: number | null;
  /** Mean own depth (layers holding). */
  meanDepth: number;
  /** Lowest own depth of any workload. */
  minDepth: number;
  workloads: number;
}

const CHART = { width: 720, height: 240, left: 44, right: 44, top: 16, bottom: 36 } as const;

function xFor(i: number, n: number): number {
  const span = CHART.width - CHART.left - CHART.right;
  return n <= 1 ? CHART.left + span / 2 : CHART.left + (span * i) / (n - 1);
}

function yFor(value: number, max: number): number {
  const span = CHART.height - CHART.top - CHART.bottom;
  return CHART.top + span * (1 - value / max);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * Score (left axis, 0-100) and depth (right axis, 0-9 layers) per scan,
 * oldest left. Each point is a circle with a title giving its values; the
 * figure caption says the same in words.
 */
export function trendChartSvg(points: readonly EstatePoint[]): string {
  const n = points.length;
  const depthMax = LAYERS.length;
  const grid: string[] = [];
  for (const v of [0, 25, 50, 75, 100]) {
    const y = round1(yFor(v, 100));
    grid.push(`<line class="grid" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${y}" y2="${y}"/>`);
    grid.push(`<text class="axis" x="${CHART.left - 6}" y="${y + 4}" text-anchor="end">${v}</text>`);
    const depth = (v / 100) * depthMax;
    grid.push(`<text class="axis depth" x="${CHART.width - CHART.right + 6}" y="${y + 4}">${round1(depth)}</text>`);
  }
  const scorePts: string[] = [];
  const depthPts: string[] = [];
  const scoreDots: string[] = [];
  const depthDots: string[] = [];
  points.forEach((p, i) => {
    const x = round1(xFor(i, n));
    const when = escapeHtml(p.at);
    if (p.meanScore !== null) {
      const y = round1(yFor(p.meanScore, 100));
      scorePts.push(`${x},${y}`);
      scoreDots.push(
        `<circle class="pt score" data-series="score" data-scan="${escapeHtml(p.scanId)}" cx="${x}" cy="${y}" r="4"><title>${when}: mean score ${round1(p.meanScore)}</title></circle>`,
      );
    }
    const y = round1(yFor(p.meanDepth, depthMax));
    depthPts.push(`${x},${y}`);
    depthDots.push(
      `<rect class="pt depth" data-series="depth" data-scan="${escapeHtml(p.scanId)}" x="${x - 4}" y="${y - 4}" width="8" height="8"><title>${when}: mean depth ${round1(p.meanDepth)} layers (lowest ${p.minDepth})</title></rect>`,
    );
  });
  const first = points[0];
  const last = points[n - 1];
  const xLabels =
    first && last
      ? `<text class="axis" x="${CHART.left}" y="${CHART.height - 14}">${escapeHtml(first.at.slice(0, 10))}</text>` +
        (n > 1 ? `<text class="axis" x="${CHART.width - CHART.right}" y="${CHART.height - 14}" text-anchor="end">${escapeHtml(last.at.slice(0, 10))}</text>` : '')
      : '';
  const legend =
    `<g class="legend"><circle class="pt score" cx="${CHART.left + 8}" cy="${CHART.height - 4}" r="4"/><text x="${CHART.left + 16}" y="${CHART.height}">mean score (left axis)</text>` +
    `<rect class="pt depth" x="${CHART.left + 196}" y="${CHART.height - 8}" width="8" height="8"/><text x="${CHART.left + 210}" y="${CHART.height}">mean depth, layers (right axis)</text></g>`;
  const label = `Estate trend over ${n} scan${n === 1 ? '' : 's'}: mean score and mean depth per scan`;
  return (
    `<svg class="trend" role="img" aria-label="${label}" data-points="${n}" width="${CHART.width}" height="${CHART.height + 6}" viewBox="0 0 ${CHART.width} ${CHART.height + 6}">` +
    grid.join('') +
    (scorePts.length > 1 ? `<polyline class="line score" points="${scorePts.join(' ')}"/>` : '') +
    (depthPts.length > 1 ? `<polyline class="line depth" points="${depthPts.join(' ')}"/>` : '') +
    scoreDots.join('') +
    depthDots.join('') +
    xLabels +
    legend +
    `</svg>`
  );
}
