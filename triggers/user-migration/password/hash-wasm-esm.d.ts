// hash-wasm's ES module build has no declarations of its own: they are those of the package's main entry.
// The toolkit imports it (not the package's `main`, a UMD file holding every algorithm's WebAssembly as
// base64, 217 kB) so that a bundle keeps bcrypt alone (28 kB): hash-wasm declares no side effects.
declare module 'hash-wasm/dist/index.esm.js' {
  export * from 'hash-wasm';
}
