// bench/: `npm run bench`, one section per file, each measuring trainpool side by side with what it
// is compared against (scikit-learn, pandas, the sequential version) in the same run and reporting
// ratios. Never a test. May import anything in src/ and the test harnesses in test/support/.
/** One part of `npm run bench`: measures something and returns its figures as JSON data. */
export interface BenchSection {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}

export interface BenchContext {
  /** Prints one line of progress or results. */
  log(line: string): void;
  /** A scratch folder for generated data, removed after the bench. */
  scratch: string;
  /** Smaller workloads, for a quick look (`--quick`); figures are then not the reference ones. */
  quick: boolean;
}
