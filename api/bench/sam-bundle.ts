/**
 * The Lambda bundle as `sam build` makes it, without SAM: aws-lambda-builders' esbuild workflow runs
 * `esbuild <EntryPoints> --bundle --platform=node --outdir=<dir>` with every other key of template.yaml's
 * BuildProperties as a flag (true: `--key`, a string: `--key=value`, a list: `--key:item` for each item).
 * Used by `npm run bench:cold` when there is no .aws-sam build, and by test/lambda-bundle.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const API = fileURLToPath(new URL('..', import.meta.url))

/** ApiFunction's BuildProperties, read from template.yaml (its CloudFormation tags are not needed here). */
export function buildProperties (): Record<string, boolean | string | string[]> {
  const template = parse(readFileSync(`${API}../template.yaml`, 'utf8'), { logLevel: 'error' })
  return template.Resources.ApiFunction.Metadata.BuildProperties
}

interface BundleOptions {
  /** Other entry points than the template's (a yardstick built the same way). */
  entryPoints?: string[]
  /** BuildProperties left out (`External`: what the API's own code makes unneeded). */
  omit?: string[]
  /** More esbuild flags (`--metafile=...`). */
  extraArgs?: string[]
}

/** Bundles api/ into `outdir` as SAM would; throws with esbuild's message when it fails. */
export function bundleLikeSam (outdir: string, { entryPoints, omit = [], extraArgs = [] }: BundleOptions = {}) {
  const { EntryPoints, ...all } = buildProperties()
  const options = Object.fromEntries(Object.entries(all).filter(([key]) => !omit.includes(key)))
  // aws-lambda-builders' defaults where the template names none.
  const args = ['--bundle', '--platform=node', `--outdir=${outdir}`, '--log-level=warning']
  if (!('Target' in options)) args.push('--target=es2020')
  if (!('Format' in options)) args.push('--format=cjs')
  if (!('Minify' in options)) args.push('--minify')
  for (const [key, value] of Object.entries(options)) {
    const flag = `--${key.replace(/[A-Z]/g, (letter, at) => `${at ? '-' : ''}${letter.toLowerCase()}`)}`
    if (Array.isArray(value)) args.push(...value.map(item => `${flag}:${item}`))
    else if (typeof value === 'string') args.push(`${flag}=${value}`)
    else if (value) args.push(flag)
  }
  const bin = createRequire(import.meta.url).resolve('esbuild/bin/esbuild')
  const entries = entryPoints ?? EntryPoints as string[]
  const esbuild = spawnSync(bin, [...entries, ...args, ...extraArgs], { cwd: API, encoding: 'utf8' })
  if (esbuild.status !== 0) throw new Error(`esbuild failed: ${esbuild.stderr}`)
}
