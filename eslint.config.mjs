import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.data', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: ['botbuilder*', '@slack/*'] }],
    },
  },
  {
    // Only the channel adapters may speak to the chat platforms.
    files: ['bot/**', 'test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The Slack connectors call the Web API; only the channel adapters run Bolt.
    files: ['server/connectors/slack/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['botbuilder*', '@slack/*', '!@slack/web-api'] },
      ],
    },
  },
  {
    // Plain JavaScript config and scripts run on Node.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
