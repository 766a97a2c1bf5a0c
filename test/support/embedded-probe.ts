/**
 * The start of a child script (ESM source, for `node --eval`) that records, in `evaluated`, every embedded
 * package the process compiles: `evaluateEmbeddedModule` compiles each with `vm.Script` under the filename
 * `embedded:<package>@<version>`. The script goes on with `pathToFileURL` imported and `evaluated` in scope.
 */
export const RECORD_EMBEDDED_PACKAGES = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const vm = createRequire(import.meta.url)('node:vm');
const evaluated = [];
const OriginalScript = vm.Script;
vm.Script = class extends OriginalScript {
  constructor(code, options) {
    super(code, options);
    const filename = typeof options === 'string' ? options : options?.filename;
    const match = /^embedded:(.+)@[^@]+$/.exec(filename ?? '');
    if (match) evaluated.push(match[1]);
  }
};
`;
