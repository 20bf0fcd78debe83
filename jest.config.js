// @swc/jest compiles our TypeScript *and* the ESM-only dependencies (NestJS 12, jose, uuid,
// canonicalize) to CommonJS: jest's own loader cannot require ESM on Node 20, hence
// transformIgnorePatterns: [] (see ARCHITECTURE.md, toolchain facts).
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [],
  moduleNameMapper: {
    '^@tongban/app-(gateway|worker)$': '<rootDir>/apps/$1/src',
    '^@tongban/([a-z-]+)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
  // Global on purpose: jest ignores testTimeout inside `projects`. End-to-end suites boot real services.
  testTimeout: 60000,
};
