// Typings of the parts of jstat (untyped, CommonJS) that ml/stats.ts uses.
declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: { cdf(x: number, dof: number): number };
      binomial: { cdf(k: number, n: number, p: number): number };
    };
  };
  export default jstat;
}
