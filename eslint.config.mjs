// Lint with the import boundaries of ARCHITECTURE.md §11:
// apps and libs import a library only through its public entry `@tongban/<lib>`,
// never through a deep path or a relative climb into another package.
import tseslint from 'typescript-eslint';

const boundaries = {
  patterns: [
    { group: ['@tongban/*/*'], message: 'Import a library through its public entry @tongban/<lib> only.' },
    { group: ['**/libs/*', '**/libs/**', '../../libs/**', '../../../libs/**'], message: 'Use @tongban/<lib>, not a relative path into libs/.' },
    { group: ['**/apps/**'], message: 'Libraries and apps never import from another app.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', boundaries],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
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
