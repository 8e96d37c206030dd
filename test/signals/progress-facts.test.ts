import { computeSignals } from '../../src/signals/compute';
import { at, contract, goal, historyWith, milestone, ticket } from './history-builder';

const term = contract(1, at(0), at(365), 10);
const asOf = at(20);

describe('onboardingCompletion', () => {
  it('divides completed by all milestones', () => {
    const milestones = [
      milestone('kickoff', at(7), at(3)),
      milestone('import', at(14), at(20)),
      milestone('training', at(21), null),
      milestone('golive', at(30), at(25)),
    ];
    const facts = computeSignals(historyWith({ contracts: [term], milestones }), asOf);
    expect(facts.onboardingCompletion).toBe(0.5);
  });

  it('is 0 without milestones', () => {
    expect(computeSignals(historyWith({ contracts: [term] }), asOf).onboardingCompletion).toBe(0);
  });

  it('counts only onboarding keys when present', () => {
    const milestones = [
      milestone('onboarding', null, at(3)),
      milestone('assessment-1', at(10), null),
      milestone('assessment-2', at(40), null),
    ];
    const facts = computeSignals(historyWith({ contracts: [term], milestones }), asOf);
    expect(facts.onboardingCompletion).toBe(1);
  });

  it('counts onboarding steps by prefix', () => {
    const milestones = [
      milestone('onboarding:kickoff', at(7), at(3)),
      milestone('onboarding:training', at(21), null),
      milestone('renewal-review', at(300), null),
      milestone('onboardings', at(9), at(4)),
    ];
    const facts = computeSignals(historyWith({ contracts: [term], milestones }), asOf);
    expect(facts.onboardingCompletion).toBe(0.5);
  });
});

describe('overdueMilestones', () => {
  const milestones = [
    milestone('late', at(10), null),
    milestone('lateThenDone', at(10), at(20, 1)),
    milestone('doneLate', at(10), at(15)),
    milestone('dueNow', asOf, null),
    milestone('noDue', null, null),
  ];

  it('counts due and not completed by asOf', () => {
    const facts = computeSignals(historyWith({ contracts: [term], milestones }), asOf);
    expect(facts.overdueMilestones).toBe(2);
  });

  it('counts other milestones next to onboarding', () => {
    const withOnboarding = [...milestones, milestone('onboarding', at(5), at(4))];
    const facts = computeSignals(
      historyWith({ contracts: [term], milestones: withOnboarding }),
      asOf,
    );
    expect(facts.overdueMilestones).toBe(2);
  });

  it('is 0 without milestones', () => {
    expect(computeSignals(historyWith({ contracts: [term] }), asOf).overdueMilestones).toBe(0);
  });
});

describe('daysToOnboard', () => {
  const milestones = [milestone('kickoff', at(7), at(3)), milestone('golive', at(30), at(12, 6))];

  it('counts days to the last completion', () => {
    const facts = computeSignals(historyWith({ contracts: [term], milestones }), asOf);
    expect(facts.daysToOnboard).toBe(12);
  });

  it('is null while one is open at asOf', () => {
    const facts = computeSignals(historyWith({ contracts: [term], milestones }), at(12));
    expect(facts.daysToOnboard).toBeNull();
  });

  it('is null without milestones', () => {
    expect(computeSignals(historyWith({ contracts: [term] }), asOf).daysToOnboard).toBeNull();
  });

  it('ignores open milestones besides onboarding', () => {
    const withOthers = [
      milestone('onboarding', null, at(9, 6)),
      milestone('assessment-1', at(60), null),
    ];
    const facts = computeSignals(historyWith({ contracts: [term], milestones: withOthers }), asOf);
    expect(facts.daysToOnboard).toBe(9);
  });
});

describe('goalsMet and daysToValue', () => {
  const goals = [
    goal('first', at(9, 20)),
    goal('second', at(15)),
    goal('later', at(30)),
    goal('open', null),
  ];
  const facts = computeSignals(historyWith({ contracts: [term], goals }), asOf);

  it('counts goals met by asOf', () => {
    expect(facts.goalsMet).toBe(2);
  });

  it('counts days to the first goal met', () => {
    expect(facts.daysToValue).toBe(9);
  });

  it('is null before any goal is met', () => {
    const early = computeSignals(historyWith({ contracts: [term], goals }), at(9));
    expect(early.daysToValue).toBeNull();
  });
});

describe('openTickets', () => {
  const tickets = [
    ticket('open', at(2), null),
    ticket('closedLater', at(5), at(25)),
    ticket('closed', at(5), at(10)),
    ticket('closedAtAsOf', at(6), asOf),
    ticket('openedAtAsOf', asOf, null),
    ticket('future', at(21), null),
  ];

  it('counts opened and not closed by asOf', () => {
    const facts = computeSignals(historyWith({ contracts: [term], tickets }), asOf);
    expect(facts.openTickets).toBe(3);
  });
});

describe('ticketsFirst30Days', () => {
  const before = ticket('before', at(-1), at(1));
  const inside = [ticket('a', at(0), null), ticket('b', at(29, 23), at(31))];
  const after = ticket('after', at(30), null);
  const tickets = [before, ...inside, after];

  it('counts tickets in the first 30 days of the term', () => {
    const facts = computeSignals(historyWith({ contracts: [term], tickets }), at(60));
    expect(facts.ticketsFirst30Days).toBe(2);
  });

  it('leaves out tickets opened after asOf', () => {
    const facts = computeSignals(historyWith({ contracts: [term], tickets }), at(10));
    expect(facts.ticketsFirst30Days).toBe(1);
  });
});
