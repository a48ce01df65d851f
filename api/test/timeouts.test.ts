/**
 * The server's timeouts (app.ts SERVER_TIMEOUTS) on a real socket against the real server: a client that
 * sends a body one byte at a time is cut off. The test passes short timeouts; the socket's own events say
 * when, so nothing here waits on a timer of its own beyond the drip.
 */
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import t from 'tap'
import { build } from './helper.js'

t.test('a slow body (Content-Length: 100000, one byte at a time) is cut off with a 408', async t => {
  const app = await build(t, {
    deps: { timeouts: { requestTimeout: 400, headersTimeout: 200, connectionsCheckingInterval: 50 } }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.write('POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n')
  let sent = 0
  const drip = setInterval(() => { if (socket.writable) sent += socket.write('x') ? 1 : 0 }, 20)
  t.after(() => clearInterval(drip))
  let answer = ''
  socket.on('data', chunk => { answer += chunk })
  socket.on('error', () => {}) // a write racing the close
  await once(socket, 'close')
  clearInterval(drip)
  t.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/, 'answered 408 in the API\'s own JSON, then closed')
  t.match(answer, /\{"error":"request_timeout","message":"Request Timeout"\}$/)
  t.ok(sent < 100_000, `closed long before the body was complete (${sent} bytes sent)`)
})

t.test('the deliberate defaults: Node checks every second; requests, headers and idle sockets are bounded', async t => {
  const app = await build(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { requestTimeout, headersTimeout, keepAliveTimeout, timeout } = app.server
  t.same({ requestTimeout, headersTimeout, keepAliveTimeout, timeout },
    { requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000, timeout: 30_000 })
})
