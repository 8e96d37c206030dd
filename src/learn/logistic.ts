/**
 * Logistic regression fitted by plain batch gradient descent with a small L2
 * penalty. Inputs are expected to be standardized (mean 0, sd 1 per column),
 * so one learning rate suits every column and the weights are comparable.
 */

/** Fitted model: probability = sigmoid(intercept + sum of weight * input). */
export interface LogisticModel {
  intercept: number;
  weights: number[];
}

/** Options of the fit; the defaults converge on standardized inputs of a few dozen columns. */
export interface LogisticOptions {
  learningRate?: number;
  iterations?: number;
  /** L2 penalty on the weights (not the intercept), which keeps collinear signals stable. */
  l2?: number;
}

/** Returns 1 / (1 + e^-x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Returns the model's probability of the positive class for one input row. */
export function predictProbability(model: LogisticModel, row: readonly number[]): number {
  let z = model.intercept;
  for (let j = 0; j < model.weights.length; j += 1) z += model.weights[j]! * (row[j] ?? 0);
  return sigmoid(z);
}

/**
 * Fits the model to rows and 0/1 labels. Throws when the rows and labels
 * differ in length or when rows differ in width.
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: LogisticOptions = {},
): LogisticModel {
  if (rows.length !== labels.length) {
    throw new Error(
      `fitLogistic: ${rows.length} rows but ${labels.length} labels; pass one label per row`,
    );
  }
  const width = rows[0]?.length ?? 0;
  if (rows.some((row) => row.length !== width)) {
    throw new Error(`fitLogistic: rows differ in width; every row needs ${width} values`);
  }

  const learningRate = options.learningRate ?? 0.5;
  const iterations = options.iterations ?? 400;
  const l2 = options.l2 ?? 0.001;
  const model: LogisticModel = { intercept: 0, weights: new Array<number>(width).fill(0) };
  if (rows.length === 0) return model;

  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const gradient = computeGradient(model, rows, labels);
    model.intercept -= learningRate * gradient.intercept;
    for (let j = 0; j < width; j += 1) {
      model.weights[j] =
        model.weights[j]! - learningRate * (gradient.weights[j]! + l2 * model.weights[j]!);
    }
  }
  return model;
}

/** Mean gradient of the log loss over all rows. */
function computeGradient(
  model: LogisticModel,
  rows: readonly (readonly number[])[],
  labels: readonly number[],
): LogisticModel {
  const width = model.weights.length;
  const weights = new Array<number>(width).fill(0);
  let intercept = 0;
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    const error = predictProbability(model, row) - labels[i]!;
    intercept += error;
    for (let j = 0; j < width; j += 1) weights[j] = weights[j]! + error * row[j]!;
  }
  return { intercept: intercept / rows.length, weights: weights.map((w) => w / rows.length) };
}
