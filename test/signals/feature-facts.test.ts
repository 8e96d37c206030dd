import { computeSignals } from '../../src/signals/compute';
import { at, feature, historyWith, usage } from './history-builder';

const asOf = at(40, 12);

describe('featureBreadth', () => {
  it('divides used by available features', () => {
    const features = [
      feature('a', null),
      feature('b', at(1)),
      feature('c', at(2)),
      feature('d', at(3)),
    ];
    const rows = [usage(5, 'u1', 'a'), usage(6, 'u1', 'c')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.featureBreadth).toBe(0.5);
  });

  it('leaves out features released after asOf', () => {
    const features = [feature('a', at(1)), feature('later', at(40, 13))];
    const rows = [usage(5, 'u1', 'a')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.featureBreadth).toBe(1);
  });

  it('counts a feature released exactly at asOf', () => {
    const features = [feature('a', at(1)), feature('now', asOf)];
    const rows = [usage(5, 'u1', 'a')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.featureBreadth).toBe(0.5);
  });

  it('ignores use of features outside the catalog', () => {
    const features = [feature('a', at(1)), feature('b', at(1))];
    const rows = [usage(5, 'u1', 'a'), usage(5, 'u1', 'unknown')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.featureBreadth).toBe(0.5);
  });

  it('ignores use after the asOf day', () => {
    const features = [feature('a', at(1)), feature('b', at(1))];
    const rows = [usage(5, 'u1', 'a'), usage(41, 'u1', 'b')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.featureBreadth).toBe(0.5);
  });

  it('is 0 without available features', () => {
    const facts = computeSignals(historyWith({ features: [feature('x', at(50))] }), asOf);
    expect(facts.featureBreadth).toBe(0);
  });
});

describe('keyFeaturesNeverUsed', () => {
  const features = [
    feature('reports', at(0), true),
    feature('export', at(0), true),
    feature('api', at(0), true),
    feature('themes', at(0), false),
    feature('sso', at(45), true),
  ];

  it('lists unused available key features by key', () => {
    const rows = [usage(3, 'u1', 'reports')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.keyFeaturesNeverUsed).toEqual(['api', 'export']);
  });

  it('treats use after the asOf day as never used', () => {
    const rows = [usage(3, 'u1', 'reports'), usage(41, 'u1', 'api'), usage(41, 'u1', 'export')];
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.keyFeaturesNeverUsed).toEqual(['api', 'export']);
  });

  it('is empty when every key feature was used', () => {
    const rows = ['reports', 'export', 'api'].map((key) => usage(3, 'u1', key));
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.keyFeaturesNeverUsed).toEqual([]);
  });
});

describe('newFeaturesNotTried', () => {
  // The 30 days up to asOf are days 11..40.
  const features = [
    feature('fresh', at(40, 1)),
    feature('edge', at(11)),
    feature('stale', at(10, 23)),
    feature('tried', at(20)),
    feature('triedBefore', at(20)),
    feature('unreleased', at(40, 13)),
  ];
  const rows = [usage(25, 'u1', 'tried'), usage(15, 'u1', 'triedBefore')];

  it('lists recent releases not used since release', () => {
    const facts = computeSignals(historyWith({ features, usageDaily: rows }), asOf);
    expect(facts.newFeaturesNotTried).toEqual(['edge', 'fresh', 'triedBefore']);
  });

  it('drops a feature once tried on its release day', () => {
    const sameDay = [...rows, usage(11, 'u1', 'edge')];
    const facts = computeSignals(historyWith({ features, usageDaily: sameDay }), asOf);
    expect(facts.newFeaturesNotTried).toEqual(['fresh', 'triedBefore']);
  });
});
