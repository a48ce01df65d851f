import { useTitle } from '../../use-title.js'

/** Shown instead of a blank page when the build lacks a VITE_ value or has one the app cannot use. */
export function ConfigError ({ missing, invalid = [] }: { missing: string[], invalid?: string[] }) {
  useTitle('Configuration error')
  return (
    <main>
      <section role='alert'>
        <h1>Configuration error</h1>
        {missing.length > 0 && <p>This build of the app is missing:</p>}
        {missing.length > 0 && <ul>{missing.map(key => <li key={key}><code>{key}</code></li>)}</ul>}
        {invalid.length > 0 && <p>This build of the app has values it cannot use:</p>}
        {invalid.length > 0 && <ul>{invalid.map(problem => <li key={problem}><code>{problem}</code></li>)}</ul>}
        <p>Set them in <code>.env</code> (see <code>.env.example</code>) or as build arguments, and build again.</p>
      </section>
    </main>
  )
}

/** Shown when the Auth0 client cannot start, e.g. Auth0 unreachable during the silent session check. */
export function StartupError ({ message }: { message: string }) {
  useTitle('Cannot reach Auth0')
  return (
    <main>
      <section role='alert'>
        <h1>Cannot reach Auth0</h1>
        <p>{message}</p>
        <p><a href='/'>Try again</a></p>
      </section>
    </main>
  )
}
