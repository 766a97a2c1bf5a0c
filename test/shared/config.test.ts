import { describe, expect, it } from 'vitest';
import { createEnvReader, describeVariablesRead } from '../../shared/config.js';

describe('describeVariablesRead', () => {
  it('describes every kind of read exactly as the docs tables take it, in the order read', () => {
    // Prepare
    const read = () => {
      const reader = createEnvReader({ COLOUR: 'red' });
      reader.string('TABLE_NAME', { required: true, doc: 'the table' });
      reader.string('PREFIX', { default: 'app', doc: 'a prefix' });
      reader.number('TTL_SECONDS', { default: 300, min: 0, max: 86_400, integer: true, doc: 'how long' });
      reader.number('RATIO');
      reader.boolean('VERBOSE', { default: false, doc: 'talk more' });
      reader.oneOf('COLOUR', ['red', 'green'] as const, { default: 'green', doc: 'a colour' });
      reader.list('EXTRA_SOURCES', { doc: 'more sources' });
      reader.done();
    };

    // Act
    const variables = describeVariablesRead(read);

    // Assess
    expect(variables).toStrictEqual([
      { name: 'TABLE_NAME', kind: 'string', required: true, default: undefined, doc: 'the table' },
      { name: 'PREFIX', kind: 'string', required: false, default: 'app', doc: 'a prefix' },
      {
        name: 'TTL_SECONDS',
        kind: 'number',
        required: false,
        default: '300',
        min: 0,
        max: 86_400,
        integer: true,
        doc: 'how long',
      },
      {
        name: 'RATIO',
        kind: 'number',
        required: false,
        default: undefined,
        min: undefined,
        max: undefined,
        integer: undefined,
        doc: undefined,
      },
      { name: 'VERBOSE', kind: 'boolean', required: false, default: 'false', doc: 'talk more' },
      {
        name: 'COLOUR',
        kind: 'oneOf',
        required: false,
        default: 'green',
        allowed: ['red', 'green'],
        doc: 'a colour',
      },
      { name: 'EXTRA_SOURCES', kind: 'list', required: false, doc: 'more sources' },
    ]);
  });

  it('keeps the declarations of a reader that fails', () => {
    const variables = describeVariablesRead(() => {
      const reader = createEnvReader({});
      reader.string('TABLE_NAME', { required: true });
      reader.number('TTL_SECONDS', { min: 0 });
      reader.done();
    });

    expect(variables.map((variable) => variable.name)).toEqual(['TABLE_NAME', 'TTL_SECONDS']);
  });
});
