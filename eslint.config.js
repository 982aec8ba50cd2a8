// ESLint (flat config): the recommended JavaScript and TypeScript rules over the sources, tests, simulator, demo
// and benchmarks; formatting is Prettier's job (`npm run lint` runs both).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'build/**', '.tmp/**', 'bench/.results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Unused names are errors, except the deliberate `_`-prefixed ones (destructuring to drop a field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Control characters in patterns are what the escaping and identifier checks look for.
      'no-control-regex': 'off'
    }
  },
  {
    // Tests read raw JSON answers of the simulators: `any` there is a reading of untyped data, not a design choice.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  }
)
