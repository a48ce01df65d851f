import { useTitle } from '../use-title.js'

export function NotFound () {
  useTitle('Page not found')
  return (
    <section>
      <h1>Page not found</h1>
      <p><a href='/'>Go to the start page</a></p>
    </section>
  )
}
