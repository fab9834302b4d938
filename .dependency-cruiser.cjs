// Import rules that encode the design's "nevers" (DESIGN §3, §6). `npm run deps` checks src/, server/ and
// sandbox/; tests and benchmarks may import anything. Each rule is listed in docs/gates.md.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'kiosk-not-to-server',
      comment: 'The kiosk runs in the browser and talks to the proxy over HTTP only: src/ imports nothing from server/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^server/' },
    },
    {
      name: 'kiosk-not-to-sandbox',
      comment: 'The kiosk never imports the simulators (the wallet page is handled by wallet-only-test-codes).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/wallet/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'wallet-only-test-codes',
      comment: "The demo wallet page may share the sandbox's pure test-code module, nothing else of the simulators.",
      severity: 'error',
      from: { path: '^src/wallet/' },
      to: { path: '^sandbox/', pathNot: '^sandbox/test-codes\\.ts$' },
    },
    {
      name: 'test-codes-stay-pure',
      comment:
        'sandbox/test-codes.ts is bundled into the wallet page: no Node builtins, packages or server code ' +
        '(src/tsconfig.json, browser-only, also compiles everything it imports).',
      severity: 'error',
      from: { path: '^sandbox/test-codes\\.ts$' },
      // (a Node builtin resolves to its bare name, e.g. `crypto`)
      to: { path: ['^server/', '^node_modules/', '^[a-z_]+$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'production-not-to-sandbox',
      comment: 'Production code never imports the simulators; only the composition root (server/main.ts) injects them in demo mode.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/main\\.ts$' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'providers-not-to-store',
      comment: 'Adapters never touch the database: they return results or throw ProviderError (DESIGN §6).',
      severity: 'error',
      from: { path: '^server/providers/' },
      to: { path: '^server/store/' },
    },
    {
      name: 'providers-not-to-payments-or-routes',
      comment: 'Providers are plug-ins that payments/ and routes/ call; they never call back into them.',
      severity: 'error',
      from: { path: '^server/providers/' },
      to: { path: '^server/(payments|routes)/' },
    },
    {
      name: 'shared-not-to-app-code',
      comment: 'src/shared/ is used by both sides, so it imports nothing of either (not even types).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src|server|sandbox)/', pathNot: '^src/shared/' },
    },
    {
      name: 'shared-stays-pure',
      comment:
        'src/shared/ runs in the browser and in Node: no node: builtins, no svelte, no package with side effects. ' +
        'Allowed at runtime: src/shared/ itself and pure, platform-neutral packages (typebox); types from anywhere.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: {
        pathNot: ['^src/shared/', '^node_modules/typebox/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'src/shared/ also runs in the browser: not even a type-only import of a Node builtin.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      comment:
        'A runtime import cycle makes module load order matter and means two modules are really one: split or merge ' +
        'them. Cycles closed only by `import type` edges are erased at runtime and allowed.',
      severity: 'error',
      from: { path: '^(src|server|sandbox)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'production-not-to-dev-deps',
      comment: 'Production code only uses "dependencies": devDependencies are not installed on a production host.',
      severity: 'error',
      from: { path: '^(src|server|sandbox)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-non-package-json',
      comment: 'An npm package that is not in package.json works only by accident (a transitive install).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import that does not resolve to a file. Vite virtual modules and ?url imports exist only in the build; ' +
        'type-only packages are checked by tsc.',
      severity: 'error',
      from: {},
      to: {
        couldNotResolve: true,
        // (the type packages below are named by /// <reference types> and in src/tsconfig.json)
        // (@point-of-sale device libraries export only a "browser" condition; src/types/point-of-sale.d.ts)
        pathNot: [
          '^virtual:',
          '\\?(url|worker|raw)$',
          '^vite/client$',
          '^vite-plugin-pwa/vanillajs$',
          '^@point-of-sale/web(usb|serial|bluetooth|hid)-',
        ],
      },
    },
    {
      name: 'no-deprecated-core',
      comment: 'A deprecated Node builtin.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['core'], path: '^(punycode|domain|constants|sys|_linklist|_stream_wrap)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules may be a symlink (git worktrees sharing one install): keep paths as node_modules/…
    preserveSymlinks: true,
    exclude: { path: '^(dist|data|\\.test-tmp|src/paraglide)/' },
    // See type-only imports as such (they vanish at runtime) instead of dropping them.
    tsPreCompilationDeps: true,
    // The root tsconfig: resolves 'qrcode' to the real package (src/tsconfig.json maps it to a type shim).
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // Runtime entry points, not .d.ts: a package is judged by the code that would actually load.
      conditionNames: ['import', 'require', 'node', 'default'],
      mainFields: ['module', 'main'],
      extensions: ['.ts', '.js', '.svelte', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
