import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'coverage/**', '.tap/**', 'test/artifacts/**'] }),
  { rules: { '@stylistic/max-len': ['error', { code: 120, ignoreUrls: true }] } }
]
