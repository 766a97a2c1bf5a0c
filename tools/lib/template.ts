import { readFileSync } from 'node:fs';
import { parse, type ScalarTag, type CollectionTag } from 'yaml';
import type { BuildOptions } from 'esbuild';

/** CloudFormation's short-form intrinsic functions, read as their long form (`!Ref x` -> `{ Ref: 'x' }`). */
const INTRINSICS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Condition',
  'ToJsonString',
  'Length',
] as const;

function intrinsicKey(name: string): string {
  return name === 'Condition' ? 'Condition' : `Fn::${name}`;
}

const cfnTags: (ScalarTag | CollectionTag)[] = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) } as ScalarTag,
  // `!Ref` over an intrinsic (`Fn::Sub` inside an `Fn::ForEach` loop, resolved by AWS::LanguageExtensions).
  {
    tag: '!Ref',
    collection: 'map',
    resolve: (map: { toJSON(): unknown }) => ({ Ref: map.toJSON() }),
  } as unknown as CollectionTag,
  ...INTRINSICS.flatMap((name): (ScalarTag | CollectionTag)[] => [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({
        [intrinsicKey(name)]: name === 'GetAtt' ? value.split('.') : value,
      }),
    } as ScalarTag,
    {
      tag: `!${name}`,
      collection: 'seq',
      resolve: (seq: { toJSON(): unknown }) => ({ [intrinsicKey(name)]: seq.toJSON() }),
    } as unknown as CollectionTag,
    {
      tag: `!${name}`,
      collection: 'map',
      resolve: (map: { toJSON(): unknown }) => ({ [intrinsicKey(name)]: map.toJSON() }),
    } as unknown as CollectionTag,
  ]),
];

export type Template = {
  Transform?: string | string[];
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Parameters?: Record<string, { Type: string; Default?: unknown; AllowedValues?: unknown[] }>;
  Conditions?: Record<string, unknown>;
  Globals?: { Function?: Record<string, unknown> };
  Resources: Record<
    string,
    {
      Type: string;
      Properties?: Record<string, unknown>;
      Metadata?: Record<string, unknown>;
      Condition?: string;
    }
  >;
  Outputs?: Record<string, unknown>;
};

/**
 * Parses a SAM/CloudFormation template, short-form tags included, with `Fn::ForEach` loops in Resources
 * and Outputs expanded as the `AWS::LanguageExtensions` transform expands them.
 */
export function parseTemplate(text: string): Template {
  const template = parse(text, { customTags: cfnTags, maxAliasCount: -1 }) as Template;
  template.Resources = expandForEach(template.Resources) as Template['Resources'];
  if (template.Outputs !== undefined) template.Outputs = expandForEach(template.Outputs);
  return template;
}

/**
 * Expands the `Fn::ForEach::<Loop>: [Identifier, [values...], {OutputKey: OutputValue}]` entries of a
 * section: `${Identifier}` and `&{Identifier}` in keys and strings become the value, `{Ref: Identifier}`
 * the value, and a `Ref` or `Fn::GetAtt` whose name is an `Fn::Sub` with nothing left to substitute
 * becomes a plain one (what the transform hands the Serverless transform).
 */
export function expandForEach(section: Record<string, unknown>): Record<string, unknown> {
  const expanded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (!key.startsWith('Fn::ForEach::')) {
      expanded[key] = value;
      continue;
    }
    const [identifier, collection, fragment] = value as [string, string[], Record<string, unknown>];
    for (const item of collection) {
      const replaced = substituteIdentifier(fragment, identifier, item) as Record<string, unknown>;
      Object.assign(expanded, expandForEach(replaced));
    }
  }
  return expanded;
}

function substituteIdentifier(node: unknown, identifier: string, item: string): unknown {
  const inText = (text: string) =>
    text.replaceAll(`\${${identifier}}`, item).replaceAll(`&{${identifier}}`, item);
  if (typeof node === 'string') return inText(node);
  if (Array.isArray(node)) return node.map((child) => substituteIdentifier(child, identifier, item));
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    if (key === 'Ref' && arg === identifier) return item;
    const resolved = substituteIdentifier(arg, identifier, item);
    const plainSub = (value: unknown) => {
      const sub = (value as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
      return typeof sub === 'string' && !sub.includes('${') ? sub : undefined;
    };
    if (key === 'Ref' && plainSub(resolved) !== undefined) return { Ref: plainSub(resolved) };
    if (key === 'Fn::GetAtt' && Array.isArray(resolved) && plainSub(resolved[0]) !== undefined)
      return { 'Fn::GetAtt': [plainSub(resolved[0]), ...resolved.slice(1)] };
    return { [inText(key)]: resolved };
  }
  return Object.fromEntries(
    entries.map(([key, value]) => [inText(key), substituteIdentifier(value, identifier, item)]),
  );
}

export function loadTemplate(path = 'template.yaml'): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}

/** Parameter values: the template's defaults, overridden by `overrides` (SAM's `--parameter-overrides`; an env-vars file's `Parameters` are environment variables, not these). */
export function resolveParameters(
  template: Template,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const values: Record<string, string> = {
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
    'AWS::StackName': 'local',
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': '',
  };
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (parameter.Default !== undefined) values[name] = String(parameter.Default);
  }
  return { ...values, ...overrides };
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves intrinsic functions the way `sam local` does for environment variables: parameters and
 * pseudo parameters by value, conditions evaluated, a resource's `Ref` or `GetAtt` as its logical id
 * (there is no deployed resource to point at).
 */
export function resolveValue(
  template: Template,
  value: unknown,
  parameters: Record<string, string>,
): unknown {
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve).filter((item) => item !== NO_VALUE);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      switch (key) {
        case 'Ref': {
          const name = String(arg);
          if (name === 'AWS::NoValue') return NO_VALUE;
          return name in parameters ? parameters[name] : name;
        }
        case 'Fn::GetAtt':
          return (Array.isArray(arg) ? arg : String(arg).split('.'))[0];
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg)
            ? [String(arg[0]), (arg[1] ?? {}) as Record<string, unknown>]
            : [String(arg), {}];
          return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
            if (name in vars) return String(resolve(vars[name]));
            const base = name.split('.')[0]!;
            return base in parameters ? parameters[base]! : base;
          });
        }
        case 'Fn::Join': {
          const [separator, items] = arg as [string, unknown[]];
          return (resolve(items) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, items] = arg as [number, unknown[]];
          return (resolve(items) as unknown[])[Number(resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(resolve(text)).split(separator);
        }
        case 'Fn::FindInMap': {
          const [map, top, second] = (resolve(arg) as unknown[]).map(String);
          return template.Mappings?.[map!]?.[top!]?.[second!];
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          return resolve(evaluateCondition(template, condition, parameters) ? whenTrue : whenFalse);
        }
        case 'Fn::Equals':
        case 'Fn::And':
        case 'Fn::Or':
        case 'Fn::Not':
        case 'Condition':
          return evaluate(template, node, parameters);
        default:
          break;
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]).filter(([, v]) => v !== NO_VALUE));
  };
  return resolve(value);
}

function evaluateCondition(template: Template, name: string, parameters: Record<string, string>): boolean {
  const condition = template.Conditions?.[name];
  if (condition === undefined) throw new Error(`Unknown condition ${name}`);
  return evaluate(template, condition, parameters);
}

function evaluate(template: Template, node: unknown, parameters: Record<string, string>): boolean {
  const [key, arg] = Object.entries(node as Record<string, unknown>)[0]!;
  const args = arg as unknown[];
  switch (key) {
    case 'Fn::Equals':
      return (
        String(resolveValue(template, args[0], parameters)) ===
        String(resolveValue(template, args[1], parameters))
      );
    case 'Fn::And':
      return args.every((item) => evaluate(template, item, parameters));
    case 'Fn::Or':
      return args.some((item) => evaluate(template, item, parameters));
    case 'Fn::Not':
      return !evaluate(template, args[0], parameters);
    case 'Condition':
      return evaluateCondition(template, String(arg), parameters);
    default:
      throw new Error(`Unsupported condition function ${key}`);
  }
}

export interface FunctionDefinition {
  readonly logicalId: string;
  /** The handler's entry point (TypeScript source) from the esbuild Metadata. */
  readonly entryPoint: string;
  /** e.g. `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Environment with Globals merged and intrinsics resolved. */
  readonly environment: Record<string, string>;
  /** The esbuild options that SAM's esbuild build method derives from `Metadata.BuildProperties`. */
  readonly buildOptions: BuildOptions;
}

/** The serverless functions of the template, by logical id. */
export function listFunctions(template: Template): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([id]) => id);
}

/** A function as `sam build` and `sam local invoke` see it. */
export function describeFunction(
  template: Template,
  logicalId: string,
  parameterOverrides: Record<string, string> = {},
): FunctionDefinition {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Serverless::Function') {
    const known = listFunctions(template).join(', ');
    throw new Error(`${logicalId} is not a function in template.yaml (functions: ${known})`);
  }
  const parameters = resolveParameters(template, parameterOverrides);
  const globals = (template.Globals?.Function ?? {}) as Record<string, unknown>;
  const properties = (resource.Properties ?? {}) as Record<string, unknown>;
  const variablesOf = (props: Record<string, unknown>) =>
    (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const merged = resolveValue(
    template,
    { ...variablesOf(globals), ...variablesOf(properties) },
    parameters,
  ) as Record<string, unknown>;
  const environment = Object.fromEntries(
    Object.entries(merged).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const build = (resource.Metadata?.BuildProperties ?? {}) as Record<string, unknown>;
  const entryPoints = (build.EntryPoints ?? []) as string[];
  if (resource.Metadata?.BuildMethod !== 'esbuild' || entryPoints.length !== 1) {
    throw new Error(`${logicalId}: Metadata must use BuildMethod esbuild with exactly one entry point`);
  }
  return {
    logicalId,
    entryPoint: entryPoints[0]!,
    handler: String(properties.Handler ?? globals.Handler ?? 'index.handler'),
    timeoutSeconds: Number(properties.Timeout ?? globals.Timeout ?? 3),
    memorySize: Number(properties.MemorySize ?? globals.MemorySize ?? 128),
    environment,
    buildOptions: toEsbuildOptions(build),
  };
}

/** SAM's esbuild BuildProperties, translated the way `sam build` translates them. */
export function toEsbuildOptions(build: Record<string, unknown>): BuildOptions {
  const pairs = (list: unknown): Record<string, string> =>
    Object.fromEntries(
      ((list ?? []) as string[]).map((item) => [
        item.slice(0, item.indexOf('=')),
        item.slice(item.indexOf('=') + 1),
      ]),
    );
  const options: BuildOptions = {
    bundle: true,
    platform: (build.Platform as BuildOptions['platform']) ?? 'node',
    format: (build.Format as BuildOptions['format']) ?? 'cjs',
    target: String(build.Target ?? 'es2020'),
    minify: Boolean(build.Minify ?? true),
    sourcemap: Boolean(build.Sourcemap ?? false),
  };
  if (build.External) options.external = build.External as string[];
  if (build.MainFields) options.mainFields = String(build.MainFields).split(',');
  if (build.OutExtension) options.outExtension = pairs(build.OutExtension);
  if (build.Banner) options.banner = pairs(build.Banner);
  if (build.Loader) options.loader = pairs(build.Loader) as BuildOptions['loader'];
  // `--alias:node:crypto=./shared/...` on SAM's esbuild command line: resolved from the project's root.
  if (build.Alias) options.alias = pairs(build.Alias);
  return options;
}
