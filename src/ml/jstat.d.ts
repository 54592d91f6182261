// Typings of the parts of jstat (untyped, CommonJS) that ml/stats.ts uses.
declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: { cdf(x: number, dof: number): number };
      /** The regularized incomplete beta function I_x(a, b). */
      ibeta(x: number, a: number, b: number): number;
    };
  };
  export default jstat;
}
