import { useTitle } from '../../use-title.js'

/**
 * Shown instead of a blank page when the build lacks a VITE_ value or has one the app cannot use: one line per
 * problem, in readConfig's words (`VITE_AUTH0_CLIENT_ID is empty`), the variable's name set as code.
 */
export function ConfigError ({ problems }: { problems: string[] }) {
  useTitle('Configuration error')
  return (
    <main>
      <section role='alert'>
        <h1>Configuration error</h1>
        <p>This build of the app cannot start:</p>
        <ul>
          {problems.map(problem => {
            const [name, rest] = /^(\S+)(.*)$/.exec(problem)!.slice(1)
            return <li key={problem}><code>{name}</code>{rest}</li>
          })}
        </ul>
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
