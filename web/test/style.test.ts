import { readFileSync } from 'node:fs'
import t from 'tap'

const css = readFileSync(new URL('../src/style.css', import.meta.url), 'utf8')

/** WCAG 2.x contrast ratio of two `#rgb`/`#rrggbb` colours. @see https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio */
function contrast (a: string, b: string) {
  const luminance = (hex: string) => {
    const digits = hex.length === 4 ? hex.slice(1).replace(/./g, '$&$&') : hex.slice(1)
    const [r, g, b] = [0, 2, 4].map(i => parseInt(digits.slice(i, i + 2), 16) / 255)
      .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

t.test('the focus outline stands out 3:1 from the page and the header it is drawn on (WCAG 1.4.11)', async t => {
  // The first #rgb or #rrggbb in `property` of the rule that starts a line with `selector`.
  const colour = (selector: string, property: string) => new RegExp(
    `^${selector.replace(/[:.]/g, '\\$&')} \\{[^}]*\\b${property}: [^;]*?(#[0-9a-f]{6}|#[0-9a-f]{3})\\b`, 'm'
  ).exec(css)?.[1]
  const outline = colour(':focus-visible', 'outline')
  const surfaces = { page: colour(':root', 'background'), header: colour('header', 'background') }
  t.ok(outline && surfaces.page && surfaces.header, 'the colours are read from style.css')
  for (const [name, surface] of Object.entries(surfaces)) {
    const ratio = contrast(outline!, surface!)
    t.ok(ratio >= 3, `on the ${name} (${surface}): ${ratio.toFixed(2)}:1`)
  }
})
