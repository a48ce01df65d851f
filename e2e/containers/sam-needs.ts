/**
 * What `npm run test:sam` needs and never installs or starts: a Docker engine (DOCKER_HOST or the default socket),
 * `sam` on PATH, the Lambda base image on that engine, and the local ports. Run before tap, a missing piece is
 * one line and exit code 1; sam.test.ts imports the same checks and the values they found.
 */
import { spawnSync } from 'node:child_process'
import { portProblem } from '../../local/src/process.js'
import { DEFAULT_PORTS, ROOT } from '../../local/src/stack.js'

/** The image `sam local` 1.170.0 builds its emulation image FROM (never pulled: --skip-pull-image). */
export const LAMBDA_IMAGE = 'public.ecr.aws/lambda/nodejs:22-x86_64'

export function run (command: string, args: string[], timeout = 60_000) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout })
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() }
}

function refuse (problem: string): never {
  console.error(`npm run test:sam: ${problem}`)
  process.exit(1)
}

const engine = `the Docker engine (DOCKER_HOST=${process.env.DOCKER_HOST ?? 'unset'})`
if (!run('docker', ['info']).ok) refuse(`no answer from ${engine}; CI starts its own: see .ci/containers`)
const sam = run('sam', ['--version'])
if (!sam.ok) refuse('no `sam` on PATH (pip install aws-sam-cli==1.170.0, the version .ci/requirements-aws.txt pins)')
if (!run('docker', ['image', 'inspect', LAMBDA_IMAGE]).ok) {
  refuse(`${engine} has no ${LAMBDA_IMAGE}: docker pull it, or build CI's stand-in (see .ci/containers)`)
}
for (const [name, port] of Object.entries(DEFAULT_PORTS)) {
  const problem = await portProblem(port)
  if (problem) refuse(`port ${port} (${name === 'api' ? 'sam local' : name}) is not free on localhost: ${problem}`)
}

export const samVersion = sam.out

/**
 * The bridge network's gateway: the address `host-gateway` names inside the function's container. An engine that
 * created its bridge itself (the first on a machine) records only the subnet in the network's IPAM config: its
 * gateway is then the subnet's first address, which the engine gave the bridge (as docker0 on this host shows).
 */
function bridgeGateway (): string {
  const format = '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}'
  const [subnet, recorded] = run('docker', ['network', 'inspect', 'bridge', '-f', format]).out.split(' ')
  if (recorded) return recorded
  const network = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(subnet ?? '')
  if (!network) refuse(`the engine's bridge network names no gateway and no IPv4 subnet (${subnet})`)
  const first = network.slice(1).reduce((sum, part) => sum * 256 + Number(part), 0) + 1
  return [24, 16, 8, 0].map(shift => Math.floor(first / 2 ** shift) % 256).join('.')
}
export const gateway = bridgeGateway()
