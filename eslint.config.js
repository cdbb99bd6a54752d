// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'vigil-data/**', 'bench-results/**'] },
  js.configs.recommended,
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'conformance/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Named exports only (STYLE.md habit 10).
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true } }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/bench/**', 'src/core/clock.ts'],
    rules: {
      // Only the CLI entry exits the process or prints (STYLE.md habit 6).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only the CLI entry exits the process.' },
        { object: 'Date', property: 'now', message: 'Take time from the injected Clock.' },
      ],
    },
  },
);
