// The part of vega that draws charts at report time. scripts/build.mjs bundles it on its own into
// dist/charts/vega.cjs, which src/charts/load-vega.ts loads with a V8 code cache.
export { View } from 'vega';
