// Classification metrics as pure functions of true and predicted class indices.

export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  balancedAccuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** matrix[i][j]: rows of true class labels[i] predicted as labels[j]. */
  confusionMatrix: { labels: string[]; matrix: number[][] };
}

export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], classes: number): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} true labels but ${yPred.length} predictions`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  yTrue.forEach((t, i) => {
    matrix[t]![yPred[i] as number]! += 1;
  });
  return matrix;
}

// 0/0 is 0, as scikit-learn's zero_division default reports it (with a warning we leave out).
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const mean = (values: readonly number[]) =>
  ratio(
    values.reduce((a, b) => a + b, 0),
    values.length,
  );

export function computeMetrics(
  yTrue: readonly number[],
  yPred: readonly number[],
  classNames: readonly string[],
): Metrics {
  const k = classNames.length;
  const matrix = confusionMatrix(yTrue, yPred, k);
  const perClass = classNames.map((name, c) => {
    const tp = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { class: name, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  // Classes absent from the true labels do not count towards the averages, as in scikit-learn's
  // balanced_accuracy_score; macro precision/recall/F1 average over classes that are present
  // in either the true or the predicted labels, as its labels=None default does.
  const present = perClass.filter((m) => m.support > 0);
  const seen = perClass.filter((m, c) => m.support > 0 || matrix.some((row) => row[c]! > 0));
  const correct = matrix.reduce((sum, row, c) => sum + row[c]!, 0);
  return {
    accuracy: ratio(correct, yTrue.length),
    balancedAccuracy: mean(present.map((m) => m.recall)),
    macroPrecision: mean(seen.map((m) => m.precision)),
    macroRecall: mean(seen.map((m) => m.recall)),
    macroF1: mean(seen.map((m) => m.f1)),
    perClass,
    confusionMatrix: { labels: [...classNames], matrix },
  };
}
