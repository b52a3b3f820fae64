import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Node's globals for the plain JavaScript entry points (bin/, bench/)
const node = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'fetch',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'performance',
    'AbortController',
    'TextDecoder',
    'TextEncoder',
  ].map(name => [name, 'readonly']),
)

/** Imports out of src/controller, from a file `depth` folders below it: only the API's wire types. */
const controllerBoundary = depth => ({
  'no-restricted-imports': [
    'error',
    {patterns: [{regex: `^(\\.\\./){${depth + 1}}(?!api/types\\.js$)`, message: 'src/controller imports only src/api/types.ts from the rest of src/ (STYLE.md §1).'}]},
  ],
})

// SQL is prepared in src/controller/model/ only (STYLE.md §10): elsewhere, ask model/
const noSql = {
  'no-restricted-syntax': [
    'error',
    {selector: 'CallExpression[callee.property.name=/^(sql|prepare)$/]', message: 'SQL lives in src/controller/model/: call a model function.'},
  ],
}

export default tseslint.config(
  // examples/ and the security suite's attacker app are sample apps in their own languages and module systems
  {ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/', 'test/e2e/security/fixtures/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      // ANSI colour codes and NUL checks are control characters on purpose
      'no-control-regex': 'off',
    },
  },
  {files: ['bin/**/*.js', 'bench/**/*.js'], languageOptions: {globals: node}},
  {
    files: ['bin/**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {...node, require: 'readonly', __dirname: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  // tests read answers of every shape; typing each would only restate the assertions
  {files: ['test/**/*.ts'], rules: {'@typescript-eslint/no-explicit-any': 'off'}},
  {files: ['src/controller/*.ts'], rules: controllerBoundary(0)},
  {files: ['src/controller/*/**/*.ts'], rules: controllerBoundary(1)},
  {files: ['src/controller/**/*.ts', 'test/**/*.ts'], ignores: ['src/controller/model/**'], rules: noSql},
  // a command's statics (description, examples, flags...) in alphabetical order (STYLE.md §2)
  {files: ['commands/**/*.ts'], rules: {'@typescript-eslint/member-ordering': ['error', {default: {memberTypes: ['public-static-field'], order: 'alphabetically'}}]}},
)
