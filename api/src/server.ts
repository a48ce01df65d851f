import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { loadConfigOrExit } from './config.js'

const config = loadConfigOrExit()
const app = buildApp(config)

// SIGINT/SIGTERM (Ctrl-C, docker stop) close the server gracefully: in-flight requests finish first.
closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  await app.close()
})

try {
  // Loopback unless HOST says otherwise; the image sets HOST=0.0.0.0 so that the published port reaches it.
  await app.listen({ host: config.HOST, port: config.BACKEND_PORT })
} catch (err) {
  app.log.fatal({ err }, 'cannot start')
  process.exit(1)
}
