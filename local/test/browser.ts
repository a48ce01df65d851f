import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { Test } from 'tap'

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * A fresh Debian Chromium profile per test. When the test fails, the page's screenshot and
 * console land in test/artifacts/<test name>.{png,log}.
 */
export async function openPage (t: Test): Promise<{ page: Page, context: BrowserContext, console: string[] }> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ARGS })
  const page = context.pages()[0] ?? await context.newPage()
  page.setDefaultTimeout(15_000)
  const console: string[] = []
  page.on('console', message => console.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', error => console.push(`pageerror: ${error.message}`))
  t.teardown(async () => {
    if (!t.passing()) {
      const name = t.name.replace(/[^\w-]+/g, '-')
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {})
      writeFileSync(join(ARTIFACTS, `${name}.log`), `${page.url()}\n${console.join('\n')}\n`)
    }
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  })
  return { page, context, console }
}
