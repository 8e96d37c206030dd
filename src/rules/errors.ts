/** One problem found while loading a rule folder. */
export interface RuleError {
  /** Path of the file, as the loader was given it (folder joined with the file name). */
  file: string;
  /** JSON path inside the file, `$` for the whole file, for example `$.conditions.all[2].fact`. */
  jsonPath: string;
  /** Description of the problem and of the expected shape. */
  message: string;
  /** 1-based position, given for JSON syntax errors. */
  line?: number;
  column?: number;
}

/** A key or an array index on the way from the root of a JSON document to a value. */
export type JsonPathSegment = string | number;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats segments as a JSON path: `$.conditions.all[0]['odd key']`. */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (identifier.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Formats one line of `uptake rules validate` output for an error. */
export function formatRuleError(error: RuleError): string {
  const place = error.line === undefined ? '' : `:${error.line}:${error.column ?? 1}`;
  return `${error.file}${place}: ${error.jsonPath}: ${error.message}`;
}

/** Returns the entry of `candidates` closest to `name`, when it is a likely misspelling. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with one rolling row. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution =
        (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(
        Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution),
      );
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/** Appends "; did you mean 'x'?" when a close candidate exists. */
export function withSuggestion(
  message: string,
  name: string,
  candidates: Iterable<string>,
): string {
  const suggestion = suggestName(name, candidates);
  return suggestion === undefined ? message : `${message}; did you mean '${suggestion}'?`;
}
