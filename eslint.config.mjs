// Lint with the import boundaries of ARCHITECTURE.md §11:
// apps and libs import a library only through its public entry `@tongban/<lib>`,
// never through a deep path or a relative climb into another package.
import tseslint from 'typescript-eslint';

const boundaries = {
  patterns: [
    { group: ['@tongban/*/*'], message: 'Import a library through its public entry @tongban/<lib> only.' },
    { group: ['**/libs/*', '**/libs/**', '../../libs/**', '../../../libs/**'], message: 'Use @tongban/<lib>, not a relative path into libs/.' },
    { group: ['**/apps/**'], message: 'Never import from another app by path.' },
  ],
};
// Only the CLI (which composes gateway and worker into one embedded process) and the tests may import
// an app, and then only through its entry @tongban/app-<name>.
const appEntries = { group: ['@tongban/app-*'], message: 'Only apps/cli and test/ compose apps.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', { patterns: [...boundaries.patterns, appEntries] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['apps/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', boundaries] },
  },
  {
    // Use cases never touch the ORM, the broker, crypto libraries or the file system directly:
    // those are ports (ARCHITECTURE.md §3).
    files: ['libs/cases/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: boundaries.patterns,
        paths: ['typeorm', 'amqplib', 'jose', 'node-forge', 'pg', 'fs', 'node:fs'].map((name) => ({ name, message: 'Use cases reach side effects through ports.' })),
      }],
    },
  },
);
