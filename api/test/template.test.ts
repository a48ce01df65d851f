import t from 'tap'
import { loadTemplate } from './fixtures/sam.js'

const template = loadTemplate()
const fn = template.Resources.ApiFunction

t.test('one function on a supported Node runtime, built with esbuild from the Lambda entry', async t => {
  t.equal(template.Transform, 'AWS::Serverless-2016-10-31')
  t.equal(fn.Type, 'AWS::Serverless::Function')
  const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1])
  t.ok(major >= 22, `runtime ${fn.Properties.Runtime}`)
  t.equal(fn.Metadata.BuildMethod, 'esbuild')
  t.same(fn.Metadata.BuildProperties.EntryPoints, ['src/lambda.ts'])
  t.equal(fn.Properties.Handler, 'lambda.handler')
})

t.test('HTTP API routes: GET /health, GET /me and its preflight', async t => {
  const routes = Object.values(fn.Properties.Events as Record<string, any>).map(e => `${e.Type} ${e.Properties.Method} ${e.Properties.Path}`)
  t.same(routes.sort(), ['HttpApi GET /health', 'HttpApi GET /me', 'HttpApi OPTIONS /me'])
})

t.test('least privilege: DescribeUserPool and AdminGetUser on the configured pool only', async t => {
  const statements = fn.Properties.Policies.flatMap((p: any) => p.Statement)
  t.equal(statements.length, 1)
  t.same(statements[0].Action.sort(), ['cognito-idp:AdminGetUser', 'cognito-idp:DescribeUserPool'])
  // eslint-disable-next-line no-template-curly-in-string
  t.same(statements[0].Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${CognitoUserPoolId}' })
})

t.test('every parameter feeds the environment; the API URL is an output', async t => {
  const vars = fn.Properties.Environment.Variables
  const fed = Object.values(vars).flatMap((v: any) => (v?.Ref ? [v.Ref] : []))
  t.same(fed.sort(), Object.keys(template.Parameters).sort())
  t.notOk('AWS_REGION' in vars, 'AWS_REGION is reserved: Lambda sets it')
  t.match(template.Outputs.ApiUrl.Value['Fn::Sub'], /^https:\/\/\$\{HttpApi\}\.execute-api/)
})
