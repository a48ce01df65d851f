export function NotFound (_props: { default: boolean }) {
  return (
    <section>
      <h1>Page not found</h1>
      <p><a href='/'>Go to the start page</a></p>
    </section>
  )
}
