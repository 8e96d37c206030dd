import { fitLogistic, predictProbability, sigmoid } from '../../src/learn/logistic';

describe('fitLogistic', () => {
  // Label 1 whenever the first column is positive; the second column is noise-free zero.
  const rows = [-2, -1, -0.5, 0.5, 1, 2].map((x) => [x, 0]);
  const labels = [0, 0, 0, 1, 1, 1];
  const model = fitLogistic(rows, labels);

  it('learns a positive weight for the separating column', () => {
    expect(model.weights[0]).toBeGreaterThan(1);
  });

  it('leaves an uninformative column at zero', () => {
    expect(model.weights[1]).toBe(0);
  });

  it('predicts the positive class above one half', () => {
    expect(predictProbability(model, [1.5, 0])).toBeGreaterThan(0.5);
  });

  it('predicts the negative class below one half', () => {
    expect(predictProbability(model, [-1.5, 0])).toBeLessThan(0.5);
  });

  it('rejects mismatched labels', () => {
    expect(() => fitLogistic([[1]], [1, 0])).toThrow('1 rows but 2 labels');
  });
});

describe('sigmoid', () => {
  it('is one half at zero', () => {
    expect(sigmoid(0)).toBe(0.5);
  });
});
