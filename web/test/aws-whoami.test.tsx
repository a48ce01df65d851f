import { createHash, createHmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import t from 'tap'
import {
  ACCESS_KEY_ID, GATEWAY, IDENTITY_ID, ROLE_ARN, SECRET, SESSION_TOKEN, fakeAws, openAwsPanel
} from './helpers/aws.js'
import { installDom } from './helpers/dom.js'

installDom(t)

/** Node's hashes in the shape @smithy/signature-v4 takes: the test's signer shares no code with the page's. */
class NodeSha256 {
  private readonly hash
  constructor (secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === 'string' ? secret : bytes(secret)
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key)
  }

  update (data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : bytes(data))
  }

  async digest () { return new Uint8Array(this.hash.digest()) }
}
const bytes = (data: ArrayBuffer | ArrayBufferView) =>
  ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)

/**
 * What API Gateway does with the request: the signature recomputed from the request as received, with the
 * credentials the identity pool issued and the date the request names.
 */
async function expectedAuthorization (request: Request, credentials = { secretAccessKey: SECRET }) {
  const url = new URL(request.url)
  const amzDate = request.headers.get('x-amz-date')!
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'eu-west-1',
    sha256: NodeSha256,
    applyChecksum: false,
    credentials: { accessKeyId: ACCESS_KEY_ID, sessionToken: SESSION_TOKEN, ...credentials }
  })
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host }
  }, { signingDate: new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) })
  return signed.headers.authorization
}

t.test('/aws/whoami: signed with SigV4 by the credentials just issued; the role and the answer shown', async t => {
  const { panel, click, status, aws } = openAwsPanel(t)
  await click('Call /aws/whoami signed')
  t.equal(aws.sent.length, 3, 'credentials first (GetId, GetCredentialsForIdentity), then the call')
  const request = aws.sent[2]!
  t.equal(`${request.method} ${request.url}`, `GET ${GATEWAY}/aws/whoami`)
  t.equal(request.headers.get('x-amz-date'), '20261202T090000Z', 'the clock the page was given')
  t.equal(request.headers.get('x-amz-security-token'), SESSION_TOKEN)
  t.match(request.headers.get('authorization'), new RegExp(
    `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20261202/eu-west-1/execute-api/aws4_request, ` +
    'SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$'))
  t.equal(request.headers.get('authorization'), await expectedAuthorization(request),
    'an independent signer (@smithy/signature-v4) computes the same signature')
  t.not(request.headers.get('authorization'), await expectedAuthorization(request, { secretAccessKey: 'other' }),
    'and a different one with another secret: the comparison can fail')

  t.equal(status(), 'AWS says you are auth0-reader.')
  t.equal(panel.getByText('Role').nextSibling?.textContent, `auth0-reader ${ROLE_ARN}`)
  t.equal(JSON.parse(panel.getByTestId('whoami-result').textContent ?? '').identity_id, IDENTITY_ID)
})

t.test('API Gateway refuses (403): said in words; the next call starts from new credentials', async t => {
  const aws = fakeAws()
  const message = 'The security token included in the request is expired'
  aws.answers.whoami = { status: 403, body: { message } }
  const { panel, click, status } = openAwsPanel(t, aws)
  await click('Call /aws/whoami signed')
  t.equal(panel.getByRole('alert').textContent, `API Gateway refused the signed request (403): ${message}`)
  t.equal(status(), '', 'not announced as a success')
  t.equal(panel.queryAllByTestId('whoami-result').length, 0)
  await click('Get AWS credentials')
  t.equal(aws.sent.length, 5, 'GetId and GetCredentialsForIdentity again')
})

t.test('the gateway cannot be reached, or answers something else', async t => {
  for (const [reply, words] of [
    ['unreachable', `The AWS API at ${GATEWAY} cannot be reached. Is it running?`],
    [{ status: 403, body: { error: 'aws_iam_required', message: 'Served behind API Gateway\'s IAM authorization' } },
      'The call failed (403): Served behind API Gateway\'s IAM authorization'], // the API, nothing in front
    [{ status: 200, body: { hello: 'world' } }, 'The call failed (200): The answer of /aws/whoami is not in the ' +
      'expected shape']
  ] as const) {
    t.test(words.slice(0, 40), async t => {
      const aws = fakeAws()
      aws.answers.whoami = reply
      const { panel, click } = openAwsPanel(t, aws)
      await click('Call /aws/whoami signed')
      t.equal(panel.getByRole('alert').textContent, words)
    })
  }
})
