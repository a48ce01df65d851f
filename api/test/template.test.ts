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

t.test('least privilege: DescribeUserPool and AdminGetUser on the one pool only (given or created)', async t => {
  const statements = fn.Properties.Policies.flatMap((p: any) => p.Statement)
  t.equal(statements.length, 1)
  t.same(statements[0].Action.sort(), ['cognito-idp:AdminGetUser', 'cognito-idp:DescribeUserPool'])
  t.same(statements[0].Resource, {
    'Fn::If': [
      'CreateUserPool',
      { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      // eslint-disable-next-line no-template-curly-in-string
      { 'Fn::Sub': 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${CognitoUserPoolId}' }
    ]
  })
})

t.test('the app parameters feed the environment; the API URL is an output', async t => {
  const vars = fn.Properties.Environment.Variables
  t.same(vars.COGNITO_USER_POOL_ID, { 'Fn::If': ['CreateUserPool', { Ref: 'UserPool' }, { Ref: 'CognitoUserPoolId' }] })
  const fed = Object.values(vars).flatMap((v: any) => (v?.Ref ? [v.Ref] : []))
  t.same(fed.sort(), ['Auth0Audience', 'Auth0Domain', 'Auth0EmailClaim', 'CognitoAuth0ProviderName', 'FrontendOrigin'])
  t.notOk('AWS_REGION' in vars, 'AWS_REGION is reserved: Lambda sets it')
  t.notOk(JSON.stringify(vars).includes('Auth0ClientSecret'), 'the Auth0 secret never reaches the function')
  t.match(template.Outputs.ApiUrl.Value['Fn::Sub'], /^https:\/\/\$\{HttpApi\}\.execute-api/)
})

t.test('no pool id given: the stack creates the pool federating Auth0, and only then', async t => {
  t.same(template.Conditions.CreateUserPool, { 'Fn::Equals': [{ Ref: 'CognitoUserPoolId' }, ''] })
  t.notOk('Default' in template.Parameters.CognitoUserPoolId, 'the existing-pool path stays the default: the id is asked for')
  t.match('', new RegExp(template.Parameters.CognitoUserPoolId.AllowedPattern), 'empty is allowed')
  t.match('eu-west-1_AbC123xyz', new RegExp(template.Parameters.CognitoUserPoolId.AllowedPattern))
  t.equal(template.Parameters.Auth0ClientSecret.NoEcho, true)

  const created = Object.entries<any>(template.Resources).filter(([, r]) => r.Condition === 'CreateUserPool').map(([name, r]) => `${name}:${r.Type}`)
  t.same(created.sort(), [
    'Auth0IdentityProvider:AWS::Cognito::UserPoolIdentityProvider',
    'UserPool:AWS::Cognito::UserPool',
    'UserPoolClient:AWS::Cognito::UserPoolClient',
    'UserPoolDomain:AWS::Cognito::UserPoolDomain'
  ])

  const idp = template.Resources.Auth0IdentityProvider.Properties
  t.equal(idp.ProviderType, 'OIDC')
  t.same(idp.ProviderName, { Ref: 'CognitoAuth0ProviderName' }, 'federated users are named <provider>_<sub>, as /me looks them up')
  t.match(idp.ProviderDetails, { client_id: { Ref: 'Auth0ClientId' }, client_secret: { Ref: 'Auth0ClientSecret' }, oidc_issuer: { 'Fn::Sub': 'https://${Auth0Domain}' }, attributes_request_method: 'GET' }) // eslint-disable-line no-template-curly-in-string
  t.match(idp.AttributeMapping, { username: 'sub', email: 'email', email_verified: 'email_verified' })
  for (const attribute of template.Resources.UserPool.Properties.Schema) t.equal(attribute.Mutable, true, `${attribute.Name} stays mutable`)
  t.same(template.Resources.UserPoolClient.Properties.SupportedIdentityProviders, [{ Ref: 'Auth0IdentityProvider' }])

  const rules = template.Rules.CreatingAPoolNeedsAuth0Credentials
  t.same(rules.RuleCondition, { 'Fn::Equals': [{ Ref: 'CognitoUserPoolId' }, ''] })
  t.equal(rules.Assertions.length, 3)
  t.match(template.Outputs.Auth0AllowedCallbackUrl, { Condition: 'CreateUserPool', Value: { 'Fn::Sub': /oauth2\/idpresponse$/ } })
})
