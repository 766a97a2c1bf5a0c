import { InvokeToolError } from './errors.js';

// One override: `Key=Value` (SAM's shorthand) or `ParameterKey=Key,ParameterValue=Value` (the AWS CLI's
// form); a value may be quoted to hold spaces or commas.
const TOKEN = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s"']|"(?:[^"\\]|\\.)*"|'[^']*')+))/y;
const CLI_FORM = /^ParameterKey=([^,]+),ParameterValue=(.*)$/s;
const SHORT_FORM = /^([^=,]+)=(.*)$/s;

function unquote(value: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(value) ?? /^'([^']*)'$/s.exec(value);
  return quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : value;
}

function splitTokens(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) throw new InvokeToolError(`--parameter-overrides: an unbalanced quote in "${text}"`);
    tokens.push(match[1] ?? match[2] ?? match[3]!);
  }
  return tokens;
}

/**
 * SAM's `--parameter-overrides`: template parameters (not environment variables) as
 * `Key=Value Key2="a value"` or `ParameterKey=Key,ParameterValue=Value ...`; every key must be a
 * parameter of the template.
 *
 * @example
 * ```ts
 * parseParameterOverrides('AllowedEmailDomains="example.org *.example.org"', ['AllowedEmailDomains']);
 * // { AllowedEmailDomains: 'example.org *.example.org' }
 * ```
 */
export function parseParameterOverrides(
  texts: readonly string[],
  templateParameters: readonly string[],
): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const token of texts.flatMap(splitTokens)) {
    const pair = CLI_FORM.exec(token) ?? SHORT_FORM.exec(token);
    if (!pair)
      throw new InvokeToolError(
        `--parameter-overrides: "${token}" is neither Key=Value nor ParameterKey=Key,ParameterValue=Value`,
      );
    const [, key = '', value = ''] = pair;
    if (!templateParameters.includes(key))
      throw new InvokeToolError(`--parameter-overrides: ${key} is not a parameter of the template`);
    overrides[key] = unquote(value);
  }
  return overrides;
}
