import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitForHttp } from './process.js'

const SERVER_BLOCK = new URL('../../web/nginx.conf', import.meta.url).pathname
// Debian installs it in /usr/sbin, which a non-root PATH often lacks.
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx'

/**
 * Serves `dist` with Debian's nginx through web/nginx.conf, the server block the image uses.
 * Only its listen address (loopback) and root (`dist`) are swapped.
 */
export async function startNginx (dist: string, port?: number) {
  port ??= await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'nginx-'))
  for (const sub of ['logs', 'tmp']) mkdirSync(join(dir, sub))
  const server = readFileSync(SERVER_BLOCK, 'utf8')
    .replace(/listen 3000;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/usr\/share\/nginx\/html;/, `root ${dist};`)
  // Started as root, nginx's workers would drop to `nobody` and could not read a checkout in a private temp folder.
  const user = process.getuid?.() === 0 ? 'user root;' : ''
  writeFileSync(join(dir, 'nginx.conf'), `
${user}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  ${server}
}`)
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' })
  if (check.status !== 0) throw new Error(`nginx -t failed: ${check.error?.message ?? check.stderr}`)
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(url, child, 5_000)
  return {
    url,
    async close () {
      child.kill('SIGQUIT')
      await new Promise(resolve => child.once('exit', resolve))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
