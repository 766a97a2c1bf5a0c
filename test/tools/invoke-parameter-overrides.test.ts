import { describe, expect, it } from 'vitest';
import { InvokeToolError } from '../../tools/invoke/errors.js';
import { parseParameterOverrides } from '../../tools/invoke/parameter-overrides.js';

const PARAMETERS = ['AllowedEmailDomains', 'DeniedEmailDomains', 'AppName'];

describe('parseParameterOverrides', () => {
  it.each([
    ['the shorthand Key=Value', ['AppName=Shop'], { AppName: 'Shop' }],
    [
      "the AWS CLI's ParameterKey=...,ParameterValue=...",
      ['ParameterKey=AppName,ParameterValue=Shop'],
      { AppName: 'Shop' },
    ],
    [
      'several pairs in one argument, a quoted value holding spaces',
      ['AllowedEmailDomains="example.org *.example.org" AppName=Shop'],
      { AllowedEmailDomains: 'example.org *.example.org', AppName: 'Shop' },
    ],
    [
      'a quoted value in the CLI form, over several arguments',
      ['ParameterKey=AppName,ParameterValue="My Shop"', "DeniedEmailDomains='a.example, b.example'"],
      { AppName: 'My Shop', DeniedEmailDomains: 'a.example, b.example' },
    ],
    ['an empty value', ['DeniedEmailDomains='], { DeniedEmailDomains: '' }],
    ['nothing', [], {}],
  ])('reads %s', (_case, texts, expected) => {
    expect(parseParameterOverrides(texts, PARAMETERS)).toEqual(expected);
  });

  it.each([
    [
      'a key that is not a template parameter',
      ['APP_NAME=Shop'],
      'APP_NAME is not a parameter of the template',
    ],
    ['a token without =', ['AppName'], '"AppName" is neither Key=Value'],
    ['an unbalanced quote', ['AppName="Shop'], 'an unbalanced quote'],
  ])('refuses %s with a tool error naming it', (_case, texts, message) => {
    expect(() => parseParameterOverrides(texts, PARAMETERS)).toThrowError(InvokeToolError);
    expect(() => parseParameterOverrides(texts, PARAMETERS)).toThrowError(message);
  });
});
