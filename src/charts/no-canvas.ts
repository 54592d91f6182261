// Stands in for vega-canvas in the bundled renderer: vega then estimates text widths instead of
// measuring them with node-canvas, so charts come out the same whether or not canvas is installed.
export const canvas = (): null => null;
export const image = (): null => null;
