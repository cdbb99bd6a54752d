// @ts-check
/* global module -- CommonJS (.cjs) in an ESM package: ESLint must be told about `module` */
/**
 * Vigil's structure, checked by `npm run structure` (CI) and test/structure/dependencies.test.ts.
 *
 * 1. No import cycles between modules.
 * 2. Layers: a top-level folder of src/ may import only from itself and from folders of a LOWER rank.
 *    Folders of the same rank may not import each other unless `mayAlsoUse` lists the other one.
 * 3. The SQL dialect folders (src/store/sqlite/, src/store/postgres/) are reached only from the
 *    composition root (src/runtime/) and the benchmarks (src/bench/), and never from each other.
 * 4. Third-party drivers stay in their adapters.
 *
 * `import type` counts like a value import: a type-only edge couples the modules just the same.
 * The `declare module '../core/vigil-error.js'` block in each errors.ts (error-code registration by
 * declaration merging) is not an import: dependency-cruiser does not see it, and it always points down
 * to core anyway. An ordinary `import type { XErrorCode } from '../x/errors.js'` is an import.
 */

/** @typedef {{ folder: string, rank: number, mayAlsoUse?: string[], why: string }} Layer */

/** @type {Layer[]} Lowest rank first. */
const LAYERS = [
  { folder: 'core', rank: 0, why: 'the base every module builds on (errors, clock, randomness)' },
  { folder: 'ledger', rank: 1, why: 'the transparency-log core: pure hashing, proofs and notes' },
  { folder: 'sources', rank: 1, why: "the identity providers' APIs (Okta), with no knowledge of custody" },
  { folder: 'privacy', rank: 1, why: 'personal data as keyed tokens: a pure view over JSON and text' },
  { folder: 'keys', rank: 2, why: 'signing-key files for the ledger' },
  { folder: 'verify', rank: 2, why: 'pure checks over a custody record, on the ledger' },
  { folder: 'store', rank: 3, why: 'the database schema and migrations, below everything that stores' },
  { folder: 'custody', rank: 4, why: 'collection and the tamper-evident record, built on store and keys' },
  { folder: 'detect', rank: 4, why: 'detections over events from sources' },
  { folder: 'sim', rank: 4, why: 'the provider simulator, speaking the sources\u2019 wire format' },
  { folder: 'alerts', rank: 5, why: 'alerts raised from detections, and their sinks' },
  {
    folder: 'witness',
    rank: 5,
    why: 'checkpoints off the host: the tlog-witness client, server and publisher, over custody',
  },
  {
    folder: 'audit',
    rank: 5,
    why: "Vigil's own audit log (sign-ins, reveals, changes), ledgered by custody",
  },
  { folder: 'config', rank: 6, why: "composes sources', alerts', custody's and detect's config schemas" },
  { folder: 'runtime', rank: 7, why: 'the composition root: wires every layer below together' },
  {
    folder: 'demo',
    rank: 8,
    mayAlsoUse: ['posture', 'canary', 'response'],
    why: 'a front end over the runtime; its drills run the posture and canary pillars',
  },
  {
    folder: 'server',
    rank: 8,
    mayAlsoUse: ['web', 'posture', 'canary'],
    why: 'the console over the runtime: renders its pages (web) and shows the posture and canary pillars',
  },
  { folder: 'posture', rank: 8, why: 'a front end over the runtime' },
  {
    folder: 'canary',
    rank: 8,
    why: 'canary sign-ins over the runtime: probes, their ledger and the log check',
  },
  {
    folder: 'response',
    rank: 8,
    mayAlsoUse: ['posture'],
    why: "a front end over the runtime; drills take posture's snapshot before the attack",
  },
  { folder: 'web', rank: 8, why: 'a front end over the runtime' },
  { folder: 'cli', rank: 9, why: 'the entry point: may use every layer below' },
  { folder: 'bench', rank: 9, why: 'the benchmarks: may use every layer below' },
];

const ALL_FOLDERS = LAYERS.map((layer) => layer.folder);

/** @param {string[]} folders @returns {string} a pattern matching any module in one of `folders` */
const inFolders = (folders) => `^src/(${folders.join('|')})/`;

/** @param {Layer} layer */
const allowedFor = (layer) => [
  layer.folder,
  ...LAYERS.filter((other) => other.rank < layer.rank).map((other) => other.folder),
  ...(layer.mayAlsoUse ?? []),
];

/** @param {Layer} layer @returns {import('dependency-cruiser').IForbiddenRuleType} */
const layerRule = (layer) => {
  const allowed = allowedFor(layer);
  const lower = allowed.filter((folder) => folder !== layer.folder);
  return {
    name: `layer-${layer.folder}`,
    severity: 'error',
    comment:
      `src/${layer.folder} (rank ${layer.rank}: ${layer.why}) may import only from itself and from ` +
      `${lower.length === 0 ? 'no other folder' : lower.map((folder) => `src/${folder}`).join(', ')}. ` +
      'An import up the layers (or sideways into a folder of the same rank) makes the lower layer ' +
      'depend on what is built on it.',
    from: { path: `^src/${layer.folder}/` },
    to: { path: '^src/', pathNot: inFolders(allowed) },
  };
};

/**
 * A package and its @types: resolved into a node_modules folder, or left as the bare name when it is
 * not installed. @param {string} name
 */
const npmPackage = (name) => `(^|/)node_modules/(@types/)?${name}/|^${name}(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules must not depend on each other in a cycle (type-only imports included): a cycle ties ' +
        'its modules into one unit that cannot be loaded, tested or moved apart, and ESM evaluation ' +
        'order inside it is fragile.',
      from: {},
      to: { circular: true },
    },

    ...LAYERS.map(layerRule),

    {
      name: 'layer-unranked',
      severity: 'error',
      comment:
        'Every top-level folder of src/ must have a rank in .dependency-cruiser.cjs (LAYERS); a module ' +
        'outside them would escape the layer rules. Give its folder a rank.',
      from: { path: '^src/', pathNot: inFolders(ALL_FOLDERS) },
      to: { path: '^src/' },
    },

    {
      name: 'dialect-private',
      severity: 'error',
      comment:
        'The SQL dialect folders (src/store/sqlite/, src/store/postgres/) are chosen in one place, the ' +
        'composition root (src/runtime/); only it and the benchmarks (src/bench/) may import them. ' +
        'Everything else uses the dialect-neutral store.',
      from: { path: '^src/', pathNot: '^src/(runtime|bench|store/sqlite|store/postgres)/' },
      to: { path: '^src/store/(sqlite|postgres)/' },
    },
    {
      name: 'dialect-no-cross',
      severity: 'error',
      comment:
        'One SQL dialect must not import the other (src/store/sqlite/ <-> src/store/postgres/): each ' +
        'stands alone so either can be left out, and what they share belongs in src/store/.',
      from: { path: '^src/store/(sqlite|postgres)/' },
      to: { path: '^src/store/(sqlite|postgres)/', pathNot: '^src/store/$1/' },
    },

    {
      name: 'driver-better-sqlite3',
      severity: 'error',
      comment:
        'better-sqlite3 is the SQLite adapter\u2019s driver: only src/store/sqlite/ (and the benchmarks ' +
        'in src/bench/, which measure SQLite itself) may import it, so the rest of Vigil stays ' +
        'dialect-neutral.',
      from: { path: '^src/', pathNot: '^src/(store/sqlite|bench)/' },
      to: { path: npmPackage('better-sqlite3') },
    },
    {
      name: 'driver-pg',
      severity: 'error',
      comment:
        'pg is the PostgreSQL adapter\u2019s driver: only src/store/postgres/ may import it, so the rest ' +
        'of Vigil stays dialect-neutral.',
      from: { path: '^src/', pathNot: '^src/store/postgres/' },
      to: { path: npmPackage('pg') },
    },
    {
      name: 'driver-fastify',
      severity: 'error',
      comment:
        'fastify is the HTTP framework of the simulator (src/sim/) and the server (src/server/) ' +
        'only; the domain layers must not depend on a web framework.',
      from: { path: '^src/', pathNot: '^src/(sim|server)/' },
      to: { path: npmPackage('fastify') },
    },

    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'Every import must resolve to a file or an installed package; an unresolved one would also ' +
        'slip past the layer rules above, which match resolved paths.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],

  options: {
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6', 'cjs', 'tsd'],
    // Keep `import type` edges (they vanish from the compiled JavaScript).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    // Parse only what the rules need (they use no metrics or module-level attributes).
    skipAnalysisNotInRules: true,
  },
};
