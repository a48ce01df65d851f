import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { Test } from 'tap'

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]

/**
 * A fresh Debian Chromium profile per test. When the test fails, the page's screenshot and
 * console land in test/artifacts/<test name>.{png,log}.
 */
export async function openPage (
  t: Test, { viewport }: { viewport?: { width: number, height: number } } = {}
): Promise<{ page: Page, context: BrowserContext, console: string[] }> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ARGS, ...(viewport && { viewport })
  })
  const page = context.pages()[0] ?? await context.newPage()
  page.setDefaultTimeout(15_000)
  const console: string[] = []
  page.on('console', message => console.push(`${message.type()}: ${message.text()} <${message.location().url}>`))
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

/** A screenshot kept whatever the outcome (test/artifacts/ is git-ignored; CI can publish it). */
export async function keepScreenshot (page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, name)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * What goes wrong first on a narrow screen: the page scrolling sideways, the header wrapping, an
 * element's text broken over lines (`oneLine`), or cut short with an ellipsis (`whole`).
 */
export function measureLayout (page: Page, selectors: { oneLine: string[], whole: string[] }) {
  return page.evaluate(({ oneLine, whole }) => {
    const lines = (el: Element) => {
      const style = getComputedStyle(el)
      const content = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
      return Math.round(content / parseFloat(style.lineHeight))
    }
    const all = (selectors: string[]) => selectors.flatMap(selector => [...document.querySelectorAll(selector)])
    return {
      pageWidth: document.documentElement.scrollWidth,
      viewportWidth: window.innerWidth,
      wrapped: all(oneLine).filter(el => lines(el) !== 1).map(el => el.outerHTML),
      cut: all(whole).filter(el => el.scrollWidth > el.clientWidth).map(el => el.outerHTML)
    }
  }, selectors)
}
