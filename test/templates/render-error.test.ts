import { describeRenderError, unclosedBlock } from '../../src/templates/render-error';

const strictError = (name: string, at: string) =>
  new Error(`"${name}" not defined in [object Object] - ${at}`);

describe('describeRenderError', () => {
  it('names the whole expression', () => {
    const source = 'Hello\n{{params.greeting}} there';
    expect(describeRenderError(source, strictError('greeting', '2:0'))).toMatch(
      /^\{\{params\.greeting\}\} at line 2 has no value/,
    );
  });

  it('says how to fix it', () => {
    const source = '{{account.nme}}';
    expect(describeRenderError(source, strictError('nme', '1:0'))).toContain('wrap it in {{#if}}');
  });

  it('falls back to the name outside this source', () => {
    // A failure inside a partial points at a line of the partial, not of this file.
    const source = 'no expression here';
    expect(describeRenderError(source, strictError('signoff', '4:2'))).toMatch(
      /^"signoff" at line 4 has no value/,
    );
  });

  it('keeps other errors as they are', () => {
    expect(describeRenderError('x', new Error('helper "formatDate" failed'))).toBe(
      'helper "formatDate" failed',
    );
  });
});

describe('unclosedBlock', () => {
  it('finds the block left open', () => {
    const source = '{{#each items}}\n{{this}}\n{{/each}}\n{{#if ready}}\nready\n';
    expect(unclosedBlock(source)).toEqual({ name: 'if', line: 4 });
  });

  it('returns null when every block is closed', () => {
    expect(unclosedBlock('{{#if a}}{{#each b}}x{{/each}}{{/if}}')).toBeNull();
  });
});
