/**
 * The explanation of one condition after an evaluation. `result` is absent
 * when the condition was not evaluated because a group of higher priority
 * had already decided its parent, as in json-rules-engine.
 */
export type ConditionExplanation =
  | {
      kind: 'all' | 'any';
      result?: boolean;
      priority: number;
      name?: string;
      conditions: ConditionExplanation[];
    }
  | {
      kind: 'not';
      result?: boolean;
      priority: number;
      name?: string;
      condition: ConditionExplanation;
    }
  | {
      kind: 'reference';
      /** Name of the shared condition. */
      reference: string;
      result?: boolean;
      priority: number;
      name?: string;
      /** The referenced tree, evaluated; absent when the reference was not evaluated. */
      condition?: ConditionExplanation;
    }
  | {
      kind: 'fact';
      fact: string;
      path?: string;
      params?: Record<string, unknown>;
      operator: string;
      /** The value as written in the rule (a `{ fact }` object for a fact comparison). */
      value: unknown;
      /** The value compared with: `value`, or the other fact's value. */
      expected?: unknown;
      /** The fact's value after `path`. */
      factValue?: unknown;
      result?: boolean;
      priority: number;
      name?: string;
    };

/** Why a rule did or did not fire, for `explain: true` evaluations. */
export interface RuleExplanation {
  id: string;
  priority: number;
  status: 'fired' | 'not-fired' | 'skipped' | 'error';
  /** For skipped rules (stage, disabled) and errors. */
  reason?: string;
  conditions: ConditionExplanation;
}

/** Lists the fact conditions that evaluated false, as short lines for a CS operator. */
export function describeFailedConditions(explanation: ConditionExplanation, prefix = ''): string[] {
  switch (explanation.kind) {
    case 'all':
    case 'any':
      return explanation.conditions.flatMap((child) => describeFailedConditions(child, prefix));
    case 'not':
      return explanation.result === false ? [`${prefix}not(...) was true inside`] : [];
    case 'reference':
      return explanation.condition
        ? describeFailedConditions(explanation.condition, `${prefix}${explanation.reference} > `)
        : [];
    case 'fact':
      if (explanation.result !== false) return [];
      return [
        `${prefix}${explanation.fact}${explanation.path ? ' ' + explanation.path : ''} ` +
          `${explanation.operator} ${JSON.stringify(explanation.expected)} ` +
          `was false (fact value ${JSON.stringify(explanation.factValue) ?? 'undefined'})`,
      ];
  }
}
