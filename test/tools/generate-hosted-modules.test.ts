import { describe, expect, it } from 'vitest';
import { AWS_SDK_HOST_MODULES } from '../../shared/embedded-modules/aws-sdk-host-modules.js';
import {
  readEmbeddedSource,
  type EmbeddedModule,
} from '../../shared/embedded-modules/evaluate-embedded-module.js';
import { IDEMPOTENCY_HOST_MODULES } from '../../shared/embedded-modules/idempotency-host-modules.js';
import {
  bundleEmbeddedPackage,
  HOSTED_PACKAGES,
  installedVersion,
  sha256,
  type HostedName,
} from '../../tools/generate-embedded-modules.js';

const NAMES = Object.keys(HOSTED_PACKAGES) as HostedName[];

// Static imports (one per generated file), so the test runner resolves each of them; and the host each runs on.
const GENERATED: Record<
  HostedName,
  { load: () => Promise<{ EMBEDDED_MODULE: EmbeddedModule }>; host: Readonly<Record<string, unknown>> }
> = {
  'client-cognito-identity-provider': {
    load: () => import('../../shared/embedded-modules/client-cognito-identity-provider.generated.js'),
    host: AWS_SDK_HOST_MODULES,
  },
  'client-sns': {
    load: () => import('../../shared/embedded-modules/client-sns.generated.js'),
    host: AWS_SDK_HOST_MODULES,
  },
  idempotency: {
    load: () => import('../../shared/embedded-modules/idempotency.generated.js'),
    host: IDEMPOTENCY_HOST_MODULES,
  },
};

async function sourceOf(name: HostedName): Promise<{ embedded: EmbeddedModule; source: string }> {
  const embedded = (await GENERATED[name].load()).EMBEDDED_MODULE;
  const source = readEmbeddedSource(embedded);
  return { embedded, source };
}

describe('the packages embedded on their host’s SDK stack (npm run generate:embedded)', () => {
  it.each(NAMES)(
    '%s is the pinned version, bundled exactly as the generator bundles it today',
    async (name) => {
      // Prepare
      const { embedded, source } = await sourceOf(name);
      // Act
      const rebuilt = await bundleEmbeddedPackage(HOSTED_PACKAGES[name]);
      // Assess: a dependency bump without `npm run generate:embedded` fails here.
      expect(embedded.name).toBe(HOSTED_PACKAGES[name]);
      expect(embedded.version).toBe(installedVersion(HOSTED_PACKAGES[name]));
      expect(sha256(source)).toBe(embedded.sha256);
      expect(embedded.sha256).toBe(sha256(rebuilt));
    },
  );

  it.each(NAMES)('%s requires only what its host gives and Node’s built-in modules', async (name) => {
    // Prepare
    const { source } = await sourceOf(name);
    // Act
    const required = [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!);
    // Assess
    expect(required.length).toBeGreaterThan(0);
    const missing = required.filter(
      (specifier) => !specifier.startsWith('node:') && !Object.hasOwn(GENERATED[name].host, specifier),
    );
    expect(missing).toEqual([]);
  });

  it.each(NAMES)(
    '%s holds no dynamic import() and no import.meta, and is a factory of its exports',
    async (name) => {
      // Prepare
      const { source } = await sourceOf(name);
      // Assess: vm.Script serves no dynamic import; the host passes `require` to the factory.
      expect(source.match(/\bimport\s*\(|\bimport\.meta\b/g) ?? []).toEqual([]);
      expect(source.startsWith('module.exports=function(require){')).toBe(true);
    },
  );
});
