import { describe, expect, it } from 'vitest';
import { functionEnvironment } from '../../tools/lib/function-env.js';
import {
  describeFunction,
  parseTemplate,
  resolveParameters,
  resolveValue,
  toEsbuildOptions,
} from '../../tools/lib/template.js';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: dev }
  Domains: { Type: String, Default: '' }
  Subnets: { Type: CommaDelimitedList, Default: '' }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  HasDomains: !Not [!Equals [!Ref Domains, '']]
  ProdWithDomains: !And [!Condition IsProd, !Condition HasDomains]
Globals:
  Function:
    Timeout: 5
    Environment:
      Variables:
        SHARED: from-globals
        OVERRIDDEN: from-globals
Resources:
  Table: { Type: AWS::DynamoDB::Table }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      MemorySize: 1024
      Environment:
        Variables:
          OVERRIDDEN: from-function
          TABLE: !Ref Table
          TABLE_ARN: !GetAtt Table.Arn
          NAME: !Sub '\${AWS::StackName}-\${Stage}-fn'
          MODE: !If [IsProd, strict, relaxed]
          BOTH: !If [ProdWithDomains, 'yes', 'no']
          JOINED: !Join [',', [a, !Ref Stage]]
          OPTIONAL: !If [HasDomains, !Ref Domains, !Ref AWS::NoValue]
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Format: esm
        Target: node24
        Minify: true
        Sourcemap: true
        OutExtension: [.js=.mjs]
        Banner: ["js=const a = 1; const b = 2;"]
        EntryPoints: [triggers/x/index.ts]
`;

describe('tools/lib/template', () => {
  const template = parseTemplate(TEMPLATE);

  it('reads CloudFormation short-form tags as their long form', () => {
    const variables = (
      template.Resources.Fn!.Properties!.Environment as { Variables: Record<string, unknown> }
    ).Variables;

    expect(variables.TABLE).toEqual({ Ref: 'Table' });
    expect(variables.TABLE_ARN).toEqual({ 'Fn::GetAtt': ['Table', 'Arn'] });
    expect(variables.MODE).toEqual({ 'Fn::If': ['IsProd', 'strict', 'relaxed'] });
  });

  it.each([
    ['defaults', {}, { MODE: 'relaxed', BOTH: 'no', NAME: 'local-dev-fn', JOINED: 'a,dev' }],
    [
      'prod with domains',
      { Stage: 'prod', Domains: 'example.com' },
      { MODE: 'strict', BOTH: 'yes', NAME: 'local-prod-fn', OPTIONAL: 'example.com' },
    ],
  ])('resolves intrinsics the way sam local does (%s)', (_name, overrides, expected) => {
    const fn = describeFunction(template, 'Fn', overrides);

    expect(fn.environment).toMatchObject({
      SHARED: 'from-globals',
      OVERRIDDEN: 'from-function',
      TABLE: 'Table',
      TABLE_ARN: 'Table',
      ...expected,
    });
  });

  it('drops a variable whose value is AWS::NoValue', () => {
    expect(describeFunction(template, 'Fn').environment).not.toHaveProperty('OPTIONAL');
  });

  it('takes timeout from Globals and memory from the function', () => {
    const fn = describeFunction(template, 'Fn');

    expect([fn.timeoutSeconds, fn.memorySize, fn.handler, fn.entryPoint]).toEqual([
      5,
      1024,
      'index.handler',
      'triggers/x/index.ts',
    ]);
  });

  it("translates Alias as SAM's esbuild command line takes it (--alias:node:crypto=./x.ts)", () => {
    expect(toEsbuildOptions({ Alias: ['node:crypto=./x.ts', 'a=b'] }).alias).toEqual({
      'node:crypto': './x.ts',
      a: 'b',
    });
    expect(toEsbuildOptions({}).alias).toBeUndefined();
  });

  it('translates SAM esbuild properties, keeping a banner that contains "="', () => {
    expect(
      toEsbuildOptions({ Format: 'esm', OutExtension: ['.js=.mjs'], Banner: ['js=const a = 1;'] }),
    ).toMatchObject({
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      banner: { js: 'const a = 1;' },
      bundle: true,
      platform: 'node',
    });
  });

  it('refuses a logical id that is not a function, naming the functions', () => {
    expect(() => describeFunction(template, 'Table')).toThrowError(
      'Table is not a function in template.yaml (functions: Fn)',
    );
  });

  it('resolves pseudo parameters and overrides', () => {
    const parameters = resolveParameters(template, { Stage: 'qa' });

    expect(resolveValue(template, { 'Fn::Sub': '${AWS::Region}/${Stage}' }, parameters)).toBe('us-east-1/qa');
  });
});

describe('functionEnvironment', () => {
  const fn = describeFunction(parseTemplate(TEMPLATE), 'Fn');

  it('applies Parameters, then the function section, only to declared variables', () => {
    const env = functionEnvironment(
      fn,
      {
        Parameters: { SHARED: 'from-parameters', UNDECLARED: 'x' },
        Fn: { SHARED: 'from-section', MODE: 'strict' },
      },
      {},
    );

    expect(env).toMatchObject({
      SHARED: 'from-section',
      MODE: 'strict',
      AWS_SAM_LOCAL: 'true',
      AWS_LAMBDA_FUNCTION_TIMEOUT: '5',
    });
    expect(env).not.toHaveProperty('UNDECLARED');
  });

  it('passes AWS endpoint variables of the caller through, and nothing else of its environment', () => {
    const env = functionEnvironment(fn, undefined, {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      SECRET_OF_MY_SHELL: 'x',
    });

    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe('http://127.0.0.1:8000');
    expect(env).not.toHaveProperty('SECRET_OF_MY_SHELL');
  });
});

describe('Fn::ForEach, as AWS::LanguageExtensions expands it', () => {
  const looped = parseTemplate(`
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Mappings:
  Triggers:
    Alpha: { Slug: alpha-one }
    Beta: { Slug: beta-two }
Resources:
  Fn::ForEach::Trigger:
    - Name
    - [Alpha, Beta]
    - \${Name}LogGroup:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: !Sub
            - /kit/\${Slug}
            - Slug: !FindInMap [Triggers, !Ref Name, Slug]
      \${Name}Permission:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref
            Fn::Sub: \${Name}Function.Alias
          Label: !Ref Name
Outputs:
  Fn::ForEach::Out:
    - Name
    - [Alpha]
    - \${Name}Arn:
        Value: !GetAtt [!Sub '\${Name}Function', Arn]
`);

  it('writes one copy of the fragment per item, keys and strings substituted', () => {
    expect(Object.keys(looped.Resources)).toEqual([
      'AlphaLogGroup',
      'AlphaPermission',
      'BetaLogGroup',
      'BetaPermission',
    ]);
    expect(looped.Resources.BetaPermission!.Properties).toEqual({
      FunctionName: { Ref: 'BetaFunction.Alias' },
      Label: 'Beta',
    });
    expect(looped.Outputs).toEqual({ AlphaArn: { Value: { 'Fn::GetAtt': ['AlphaFunction', 'Arn'] } } });
  });

  it('resolves Fn::FindInMap against the Mappings', () => {
    const name = resolveValue(
      looped,
      looped.Resources.BetaLogGroup!.Properties!.LogGroupName,
      resolveParameters(looped),
    );

    expect(name).toBe('/kit/beta-two');
  });
});
