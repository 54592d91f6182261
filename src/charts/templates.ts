// The charts, as Vega-Lite specs with named data sets and parameters but no data. The build
// (scripts/build.mjs) compiles each to a Vega runtime dataflow once, so drawing a chart at report
// time only feeds it data: compiling Vega-Lite and parsing Vega on every run would cost ~4x the
// CPU, which `npm run train` cannot afford. Data and parameters come from src/charts/inputs.ts.
import type { Config, TopLevelSpec } from 'vega-lite';

type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];
type Encoding = NonNullable<Extract<Layer, { mark: unknown }>['encoding']>;
type Position = NonNullable<Encoding['x']>;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

// No tooltips and no per-mark ARIA descriptions: a static SVG cannot show the first, the page's
// tables carry the same figures for the second, and each costs a compiled expression per mark.
const config: Config = {
  font: FONT,
  aria: false,
  view: { stroke: null },
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#555',
    labelColor: '#333',
    gridColor: '#eee',
    domainColor: '#999',
    tickColor: '#999',
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
};
const base = { background: 'white', padding: 6, config } as const;

/** A model axis whose order (best first) comes from the `models` parameter. */
const modelAxis = (axis = true): Position => ({
  field: 'model',
  type: 'nominal',
  scale: { domain: { expr: 'models' } },
  title: null,
  ...(axis ? { axis: { labelLimit: 260 } } : { axis: null }),
});
/** An accuracy axis from the `lo` parameter up to 1: differences of a point or two stay visible. */
const accuracyAxis = (field: string, title: string | null = 'accuracy'): Position => ({
  field,
  type: 'quantitative',
  scale: { domain: [{ expr: 'lo' }, 1], nice: false, zero: false },
  title,
});

/** A vertical shift in pixels within a model's row (the `dy` of each datum), so equal scores stay apart. */
const offset = { field: 'dy', type: 'quantitative', scale: null } as const;

/**
 * Accuracy per model (test accuracy, CV mean ± std, each CV fold as a tick) beside the fit time of
 * the final model. Markers carry their own colour and shape: the page draws the legend. Test and
 * CV marks sit a little above and below the row's centre, and the folds' ticks are staggered, so
 * that equal scores do not hide each other.
 */
const overview: TopLevelSpec = {
  ...base,
  params: [
    { name: 'models', value: ['model'] },
    { name: 'lo', value: 0.5 },
  ],
  spacing: 28,
  hconcat: [
    {
      width: 380,
      height: { step: 34 },
      layer: [
        {
          name: 'folds',
          data: { name: 'folds' },
          mark: { type: 'tick', color: '#8fa8c8', thickness: 1.5, size: 10 },
          encoding: {
            y: modelAxis(),
            yOffset: offset,
            x: accuracyAxis('value'),
          },
        },
        {
          name: 'spreads',
          data: { name: 'spreads' },
          mark: { type: 'rule', color: '#4c78a8', strokeWidth: 2.5 },
          encoding: { y: modelAxis(), yOffset: offset, x: accuracyAxis('lo'), x2: { field: 'hi' } },
        },
        {
          name: 'scores',
          data: { name: 'points' },
          mark: { type: 'point', filled: true, size: 110, opacity: 1, stroke: 'white', strokeWidth: 1 },
          encoding: {
            y: modelAxis(),
            yOffset: offset,
            x: accuracyAxis('value'),
            color: { field: 'color', type: 'nominal', scale: null },
            shape: { field: 'shape', type: 'nominal', scale: null },
          },
        },
      ],
    },
    {
      width: 200,
      height: { step: 34 },
      data: { name: 'fit' },
      encoding: {
        y: modelAxis(false),
        x: { field: 'ms', type: 'quantitative', title: 'fit time of the final model (ms)' },
      },
      layer: [
        {
          name: 'fit',
          mark: { type: 'bar', color: '#72b7b2', height: { band: 0.6 }, cornerRadiusEnd: 2 },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#444' },
          encoding: { text: { field: 'label' } },
        },
      ],
    },
  ],
};

/**
 * A confusion matrix: rows the true class, columns the predicted one. Each cell carries its own
 * fill (src/charts/inputs.ts): blue on the diagonal, orange off it, a pale grey for 0, so that one
 * or two mistakes stand out from none.
 */
const confusion: TopLevelSpec = {
  ...base,
  params: [{ name: 'classes', value: ['class'] }],
  width: { step: 46 },
  height: { step: 46 },
  data: { name: 'cells' },
  encoding: {
    x: {
      field: 'predicted',
      type: 'nominal',
      scale: { domain: { expr: 'classes' } },
      axis: { orient: 'top', labelAngle: -35, labelLimit: 120, domain: false, ticks: false },
      title: 'predicted',
    },
    y: {
      field: 'actual',
      type: 'nominal',
      scale: { domain: { expr: 'classes' } },
      axis: { labelLimit: 120, domain: false, ticks: false },
      title: 'true class',
    },
  },
  layer: [
    {
      name: 'cells',
      mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
      encoding: { color: { field: 'fill', type: 'nominal', scale: null } },
    },
    {
      name: 'counts',
      mark: { type: 'text', fontSize: 13 },
      encoding: {
        text: { field: 'count', type: 'quantitative' },
        color: { condition: { test: 'datum.dark', value: 'white' }, value: '#222' },
      },
    },
  ],
};

/**
 * Accuracy per model over time, one line per model, runs evenly spaced oldest to newest; within a
 * run each model's point sits a few pixels beside the others' (its `dx`), so equal accuracies do
 * not hide each other.
 */
const history: TopLevelSpec = {
  ...base,
  params: [
    { name: 'runs', value: ['run'] },
    { name: 'lo', value: 0.5 },
  ],
  width: 680,
  height: 300,
  data: { name: 'history' },
  encoding: {
    // Runs at 0, 1, 2, ... on a number axis, labelled with their names, so that each model's
    // point can sit a little beside the others' (its `pos`) on the same line.
    x: {
      field: 'pos',
      type: 'quantitative',
      scale: { domain: { expr: '[-0.5, length(runs) - 0.5]' }, nice: false, zero: false },
      title: 'run, oldest first (started, UTC)',
      axis: {
        values: { expr: 'sequence(length(runs))' },
        labelExpr: 'runs[datum.value]',
        labelAngle: -40,
        labelAlign: 'right',
        labelLimit: 220,
        labelOverlap: 'greedy',
        grid: false,
      },
    },
    y: accuracyAxis('accuracy'),
    color: {
      field: 'model',
      type: 'nominal',
      scale: { scheme: 'tableau10' },
      legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: 4, labelLimit: 220 },
    },
  },
  layer: [
    { name: 'lines', mark: { type: 'line', strokeWidth: 2 } },
    { name: 'runs', mark: { type: 'point', filled: true, size: 60, opacity: 1 } },
  ],
};

/** Two runs per model: a line from A's accuracy to B's, red where B is worse. */
const compare: TopLevelSpec = {
  ...base,
  params: [
    { name: 'models', value: ['model'] },
    { name: 'lo', value: 0.5 },
  ],
  width: 480,
  height: { step: 32 },
  layer: [
    {
      name: 'moves',
      data: { name: 'segments' },
      mark: { type: 'rule', strokeWidth: 3 },
      encoding: {
        y: modelAxis(),
        x: accuracyAxis('a'),
        x2: { field: 'b' },
        color: { field: 'color', type: 'nominal', scale: null },
      },
    },
    {
      name: 'accuracies',
      data: { name: 'points' },
      mark: { type: 'point', filled: true, size: 110, opacity: 1, stroke: 'white', strokeWidth: 1 },
      encoding: {
        y: modelAxis(),
        x: accuracyAxis('value'),
        color: { field: 'color', type: 'nominal', scale: null },
        shape: { field: 'shape', type: 'nominal', scale: null },
      },
    },
  ],
};

/**
 * ROC curves: true against false positive rate, one line per series (a model, or a class against
 * the rest), over the diagonal of a model that guesses.
 */
const roc: TopLevelSpec = {
  ...base,
  params: [{ name: 'series', value: ['series'] }],
  width: 340,
  height: 340,
  layer: [
    {
      name: 'chance',
      data: {
        values: [
          { fpr: 0, tpr: 0 },
          { fpr: 1, tpr: 1 },
        ],
      },
      mark: { type: 'line', color: '#bbb', strokeDash: [4, 4], strokeWidth: 1 },
      encoding: {
        x: { field: 'fpr', type: 'quantitative' },
        y: { field: 'tpr', type: 'quantitative' },
      },
    },
    {
      name: 'curves',
      data: { name: 'curves' },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
      encoding: {
        x: {
          field: 'fpr',
          type: 'quantitative',
          scale: { domain: [0, 1], nice: false },
          title: 'false positive rate',
        },
        y: {
          field: 'tpr',
          type: 'quantitative',
          scale: { domain: [0, 1], nice: false },
          title: 'true positive rate',
        },
        color: {
          field: 'series',
          type: 'nominal',
          scale: { domain: { expr: 'series' }, scheme: 'tableau10' },
          legend: { title: null, orient: 'bottom', direction: 'vertical', labelLimit: 320 },
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
  ],
};

export const templates = { overview, confusion, history, compare, roc };
export type TemplateName = keyof typeof templates;
