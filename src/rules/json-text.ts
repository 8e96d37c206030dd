/** A JSON document parsed from text, or the first syntax error with its place. */
export type JsonTextResult =
  { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/**
 * Parses JSON text. A leading byte order mark is ignored. On failure the
 * result gives the 1-based line and column of the first error, because
 * V8's own messages do not always carry a position.
 */
export function parseJsonText(text: string): JsonTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    return { ok: false, line: 1, column: 1, message: 'file is empty: expected a JSON object' };
  }
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const problem = new JsonScanner(body).findError() ?? {
      offset: 0,
      message: error instanceof Error ? error.message : String(error),
    };
    const { line, column } = lineAndColumn(body, problem.offset);
    return { ok: false, line, column, message: `invalid JSON: ${problem.message}` };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

interface SyntaxProblem {
  offset: number;
  message: string;
}

type Expectation = 'value' | 'key' | 'after';

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON strings may not contain raw control characters
const stringPattern = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Walks JSON text without recursion to find the first syntax error, so that
 * a deeply nested file still gets a position instead of a stack overflow.
 */
class JsonScanner {
  private offset = 0;
  private readonly containers: string[] = [];

  constructor(private readonly text: string) {}

  findError(): SyntaxProblem | undefined {
    let expectation: Expectation = 'value';
    for (;;) {
      this.skipWhitespace();
      let next: Expectation | SyntaxProblem | 'done';
      if (expectation === 'value') next = this.readValue();
      else if (expectation === 'key') next = this.readKey();
      else next = this.readAfterValue();
      if (next === 'done') return undefined;
      if (typeof next === 'object') return next;
      expectation = next;
    }
  }

  private readValue(): Expectation | SyntaxProblem {
    const char = this.text[this.offset];
    if (char === '{' || char === '[') {
      this.offset++;
      this.skipWhitespace();
      const close = char === '{' ? '}' : ']';
      if (this.text[this.offset] === close) {
        this.offset++;
        return 'after';
      }
      this.containers.push(char);
      return char === '{' ? 'key' : 'value';
    }
    return this.readScalar();
  }

  private readScalar(): Expectation | SyntaxProblem {
    const start = this.offset;
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, start)) {
        this.offset += literal.length;
        return 'after';
      }
    }
    const pattern = this.text[start] === '"' ? stringPattern : numberPattern;
    pattern.lastIndex = start;
    const match = pattern.exec(this.text);
    if (match && match[0].length > 0) {
      this.offset += match[0].length;
      return 'after';
    }
    if (this.text[start] === '"') return this.problem('unterminated or invalid string');
    return this.problem('expected a value (object, array, string, number, true, false or null)');
  }

  private readKey(): Expectation | SyntaxProblem {
    stringPattern.lastIndex = this.offset;
    const match = this.text[this.offset] === '"' ? stringPattern.exec(this.text) : null;
    if (!match) return this.problem('expected a property name in double quotes');
    this.offset += match[0].length;
    this.skipWhitespace();
    if (this.text[this.offset] !== ':') return this.problem("expected ':' after the property name");
    this.offset++;
    return 'value';
  }

  private readAfterValue(): Expectation | SyntaxProblem | 'done' {
    const container = this.containers[this.containers.length - 1];
    if (container === undefined) {
      return this.offset < this.text.length
        ? this.problem('unexpected text after the end of the JSON value')
        : 'done';
    }
    const close = container === '{' ? '}' : ']';
    const char = this.text[this.offset];
    if (char === ',') {
      this.offset++;
      return container === '{' ? 'key' : 'value';
    }
    if (char === close) {
      this.offset++;
      this.containers.pop();
      return 'after';
    }
    return this.problem(`expected ',' or '${close}'`);
  }

  private problem(message: string): SyntaxProblem {
    if (this.offset >= this.text.length)
      return { offset: this.offset, message: 'unexpected end of file' };
    return { offset: this.offset, message: `${message}, found '${this.text[this.offset]}'` };
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text[this.offset] as string)) {
      this.offset++;
    }
  }
}
