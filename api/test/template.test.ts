/**
 * What template.yaml must keep meaning, beyond what AWS's own tools check. cfn-lint and `sam validate --lint`
 * (.ci/aws-tools) prove that it is valid: resource types and properties, conditions and references, reserved
 * environment variables, deprecated runtimes, defaults within AllowedValues, deletion policies that agree.
 * `sam build` proves the esbuild build, and `npm run test:sam` the routes and the environment, through
 * `sam local start-api`. Here: the decisions no linter can know (least privilege, secrets, guard rails).
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse, type CollectionTag, type ScalarTag } from 'yaml'

// CloudFormation's short-form intrinsics (!Ref, !Sub, ...) read as their long forms ({ Ref }, { 'Fn::Sub' }).
const INTRINSICS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Equals', 'Not', 'And', 'Or']
const customTags = INTRINSICS.flatMap(name => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  const resolve = (value: unknown) =>
    ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value })
  const resolveCollection = (value: { toJSON: () => unknown }) => resolve(value.toJSON())
  return [
    { tag: `!${name}`, resolve: (value: string) => resolve(value) } as ScalarTag,
    { tag: `!${name}`, collection: 'seq', resolve: resolveCollection } as unknown as CollectionTag,
    { tag: `!${name}`, collection: 'map', resolve: resolveCollection } as unknown as CollectionTag
  ]
})
const template = parse(readFileSync(new URL('../../template.yaml', import.meta.url), 'utf8'), { customTags })
const fn = template.Resources.ApiFunction

/**
 * Just enough of CloudFormation's condition functions to read a value the way a deploy with these
 * parameter values would: parameters arrive as strings, AWS::NoValue drops the property (undefined).
 */
function evaluate (node: any, params: Record<string, string> = {}): unknown {
  if (node?.Ref === 'AWS::NoValue') return undefined
  if (node?.Ref in template.Parameters) return params[node.Ref] ?? String(template.Parameters[node.Ref].Default)
  if (node?.['Fn::Equals']) {
    const [a, b] = node['Fn::Equals'].map((v: unknown) => String(evaluate(v, params)))
    return a === b
  }
  if (node?.['Fn::Not']) return !evaluate(node['Fn::Not'][0], params)
  if (node?.['Fn::And']) return node['Fn::And'].every((v: unknown) => evaluate(v, params))
  if (typeof node?.Condition === 'string') return evaluate(template.Conditions[node.Condition], params)
  if (node?.['Fn::If']) {
    const [condition, whenTrue, whenFalse] = node['Fn::If']
    return evaluate(template.Conditions[condition], params) ? evaluate(whenTrue, params) : evaluate(whenFalse, params)
  }
  return node
}

t.test('least privilege: DescribeUserPool and AdminGetUser on the one pool, PutItem on the replay table', async t => {
  t.notOk('Role' in fn.Properties, 'SAM builds the role from Policies (plus its basic logging policy)')
  t.equal(fn.Properties.Policies.length, 1, 'no managed policy or policy template beside the statements')
  const statements = fn.Properties.Policies.flatMap((p: any) => p.Statement)
  t.equal(statements.length, 2)
  const replayTable = { 'Fn::GetAtt': ['ReplayTable', 'Arn'] }
  t.same(statements[1], { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: replayTable },
    'one conditional write per proof, on that one table: no read, no scan, no other table')
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

t.test('the replay table: pk String, on-demand, TTL on ttl; its name reaches the function', async t => {
  const table = template.Resources.ReplayTable
  t.equal(table.Type, 'AWS::DynamoDB::Table')
  t.same(table.Properties, {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true }
  })
  t.same(fn.Properties.Environment.Variables.DPOP_REPLAY_TABLE, { Ref: 'ReplayTable' })
})

t.test('the function reads the pool it is given or the one created here, never the Auth0 secret', async t => {
  const vars = fn.Properties.Environment.Variables
  t.same(vars.COGNITO_USER_POOL_ID, { 'Fn::If': ['CreateUserPool', { Ref: 'UserPool' }, { Ref: 'CognitoUserPoolId' }] })
  t.notOk(JSON.stringify(fn).includes('Auth0ClientSecret'), 'the Auth0 secret never reaches the function')
  t.equal(template.Parameters.Auth0ClientSecret.NoEcho, true)
})

t.test('no pool id given: the stack creates the pool federating Auth0, and only then', async t => {
  t.same(template.Conditions.CreateUserPool, { 'Fn::Equals': [{ Ref: 'CognitoUserPoolId' }, ''] })
  t.notOk('Default' in template.Parameters.CognitoUserPoolId,
    'the existing-pool path stays the default: the id is asked for')
  t.match('', new RegExp(template.Parameters.CognitoUserPoolId.AllowedPattern), 'empty is allowed')
  t.match('eu-west-1_AbC123xyz', new RegExp(template.Parameters.CognitoUserPoolId.AllowedPattern))

  const created = Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Condition === 'CreateUserPool' || r.Condition === 'CreateUserPoolDomain')
    .map(([name, r]) => `${name}:${r.Type}`)
  t.same(created.sort(), [
    'Auth0IdentityProvider:AWS::Cognito::UserPoolIdentityProvider',
    'UserPool:AWS::Cognito::UserPool',
    'UserPoolClient:AWS::Cognito::UserPoolClient',
    'UserPoolDomain:AWS::Cognito::UserPoolDomain'
  ])

  const idp = template.Resources.Auth0IdentityProvider.Properties
  t.equal(idp.ProviderType, 'OIDC')
  t.same(idp.ProviderName, { Ref: 'CognitoAuth0ProviderName' },
    'federated users are named <provider>_<sub>, as /me looks them up')
  t.match(idp.ProviderDetails, {
    client_id: { Ref: 'Auth0ClientId' },
    client_secret: { Ref: 'Auth0ClientSecret' },
    // eslint-disable-next-line no-template-curly-in-string
    oidc_issuer: { 'Fn::Sub': 'https://${Auth0Domain}' },
    attributes_request_method: 'GET'
  })
  t.match(idp.AttributeMapping, { username: 'sub', email: 'email', email_verified: 'email_verified' })
  for (const attribute of template.Resources.UserPool.Properties.Schema) {
    t.equal(attribute.Mutable, true, `${attribute.Name} stays mutable`)
  }
  t.same(template.Resources.UserPoolClient.Properties.SupportedIdentityProviders, [{ Ref: 'Auth0IdentityProvider' }])

  const rules = template.Rules.CreatingAPoolNeedsAuth0Credentials
  t.same(rules.RuleCondition, template.Conditions.CreateUserPool, 'the Rules apply exactly when the pool is created')
  t.same(rules.Assertions.map((a: any) => a.Assert['Fn::Not'][0]['Fn::Equals'][0].Ref).sort(),
    ['Auth0ClientId', 'Auth0ClientSecret', 'CognitoDomainPrefix'], 'each is required then')
  t.match(template.Outputs.Auth0AllowedCallbackUrl, {
    Condition: 'CreateUserPoolDomain',
    Value: { 'Fn::Sub': /oauth2\/idpresponse$/ }
  })
})

t.test('throttling: every route of the HTTP API is rate limited by two parameters', async t => {
  t.same(template.Resources.HttpApi.Properties.DefaultRouteSettings, {
    ThrottlingRateLimit: { Ref: 'ApiThrottlingRateLimit' },
    ThrottlingBurstLimit: { Ref: 'ApiThrottlingBurstLimit' }
  })
  for (const [name, event] of Object.entries<any>(fn.Properties.Events)) {
    t.same(event.Properties.ApiId, { Ref: 'HttpApi' }, `${name} goes through the throttled API, not an implicit one`)
  }

  const { ApiThrottlingRateLimit: rate, ApiThrottlingBurstLimit: burst } = template.Parameters
  t.match({ rate, burst }, { rate: { Type: 'Number', MinValue: 1 }, burst: { Type: 'Number', MinValue: 1 } })
  t.same([rate.Default, burst.Default], [50, 100], 'defaults: 50 requests/s, bursts of 100')
  // Each /me costs one AdminGetUser: Cognito's UserRead quota is 120/s for the whole account and Region.
  t.ok(rate.Default < 120, 'the default rate leaves room in Cognito\'s UserRead quota')
  t.ok(burst.Default >= rate.Default, 'a burst below the rate would throttle a steady flow')
})

t.test('reserved concurrency: unset by default, the given value otherwise', async t => {
  const parameter = template.Parameters.ReservedConcurrency
  t.match(parameter, { Type: 'Number', Default: -1, MinValue: -1 })
  t.same(template.Conditions.HasReservedConcurrency, {
    'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ReservedConcurrency' }, '-1'] }]
  })
  t.same(fn.Properties.ReservedConcurrentExecutions, {
    'Fn::If': ['HasReservedConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }]
  })

  const reserved = (params: Record<string, string>) => evaluate(fn.Properties.ReservedConcurrentExecutions, params)
  t.equal(reserved({}), undefined, 'the default leaves the property out: the function shares the account pool')
  t.equal(reserved({ ReservedConcurrency: '-1' }), undefined)
  t.equal(reserved({ ReservedConcurrency: '25' }), '25')
  t.equal(reserved({ ReservedConcurrency: '0' }), '0', '0 stays a value: it stops every invocation')
})

t.test('logs: the function writes to a group this stack owns, with a retention', async t => {
  const group = template.Resources.ApiLogGroup
  t.equal(group.Type, 'AWS::Logs::LogGroup')
  t.same(group.Properties.RetentionInDays, { Ref: 'LogRetentionInDays' })
  t.same(fn.Properties.LoggingConfig, { LogGroup: { Ref: 'ApiLogGroup' } }, 'Ref of a log group is its name')
  t.same([group.DeletionPolicy, group.UpdateReplacePolicy], ['Delete', 'Delete'], 'logs leave with the stack')
})

t.test('a pool created here takes no self sign-up: nobody can squat Auth0_<sub> before its owner', async t => {
  t.same(template.Resources.UserPool.Properties.AdminCreateUserConfig, { AllowAdminCreateUserOnly: true })
})

t.test('AUTH0_ALLOWED_CLIENT_IDS comes from a parameter, empty (any application) by default', async t => {
  const parameter = template.Parameters.Auth0AllowedClientIds
  t.match(parameter, { Type: 'String', Default: '' })
  t.same(fn.Properties.Environment.Variables.AUTH0_ALLOWED_CLIENT_IDS, { Ref: 'Auth0AllowedClientIds' })
  // The values api/src/config.ts takes (and '' for unset); anything else fails the deploy, not the first request.
  const pattern = new RegExp(parameter.AllowedPattern)
  for (const value of ['', 'spa-client', 'abc_DEF-123,other', 'a , b']) t.match(value, pattern, `'${value}' allowed`)
  for (const value of [',', 'a,', 'a;b', 'a b', ' a']) t.notMatch(value, pattern, `'${value}' refused`)
})

t.test('identity pool: created only on request, Auth0 ID tokens only, enhanced flow only', async t => {
  t.match(template.Parameters.CreateIdentityPool, { Default: 'false', AllowedValues: ['true', 'false'] })
  const created = Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Condition === 'CreateIdentityPool' || r.Condition === 'CreateOidcProvider')
    .map(([name, r]) => `${name}:${r.Type}`)
  t.same(created.sort(), [
    'Auth0OidcProvider:AWS::IAM::OIDCProvider',
    'IdentityPool:AWS::Cognito::IdentityPool',
    'IdentityPoolReaderRole:AWS::IAM::Role',
    'IdentityPoolRoles:AWS::Cognito::IdentityPoolRoleAttachment',
    'IdentityPoolUserRole:AWS::IAM::Role'
  ])
  const condition = (name: string, params: Record<string, string>) => evaluate({ Condition: name }, params)
  const on = { CreateIdentityPool: 'true', Auth0SpaClientId: 'spa' }
  t.equal(condition('CreateIdentityPool', {}), false, 'off by default')
  t.equal(condition('CreateIdentityPool', on), true)
  t.equal(condition('CreateOidcProvider', on), true, 'the OIDC provider too, unless one is given')
  t.equal(condition('CreateOidcProvider', { ...on, Auth0OidcProviderArn: 'arn:aws:iam::1:oidc-provider/x' }), false)

  t.same(template.Resources.Auth0OidcProvider.Properties, {
    // eslint-disable-next-line no-template-curly-in-string
    Url: { 'Fn::Sub': 'https://${Auth0Domain}' },
    ClientIdList: [{ Ref: 'Auth0SpaClientId' }]
  })
  const pool = template.Resources.IdentityPool.Properties
  t.equal(pool.AllowUnauthenticatedIdentities, false)
  t.equal(pool.AllowClassicFlow, false, 'the pool\'s rules choose the role, never the client')
  t.notOk('CognitoIdentityProviders' in pool || 'SupportedLoginProviders' in pool, 'Auth0 (OIDC) is the only login')
})

/* eslint-disable no-template-curly-in-string */
const INVOKE_WHOAMI = 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:' +
  '${HttpApi}/$default/GET/aws/whoami'
/* eslint-enable no-template-curly-in-string */

t.test('identity pool roles: trusted by this pool\'s authenticated identities, each may invoke /aws/whoami only',
  async t => {
    for (const name of ['IdentityPoolReaderRole', 'IdentityPoolUserRole']) {
      const role = template.Resources[name].Properties
      t.notOk('ManagedPolicyArns' in role || 'PermissionsBoundary' in role, `${name}: no other policy`)
      t.same(role.AssumeRolePolicyDocument.Statement, [{
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: 'IdentityPool' } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' }
        }
      }], `${name}: trust`)
      const statements = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement)
      t.same(statements, [{
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: { 'Fn::Sub': INVOKE_WHOAMI }
      }], `${name}: exactly one action on exactly one route`)
    }
  })

t.test('role rules: read:users in the namespaced claim -> reader, any ID token of the SPA -> user, else Deny',
  async t => {
    const attachment = template.Resources.IdentityPoolRoles.Properties
    t.same(attachment.IdentityPoolId, { Ref: 'IdentityPool' })
    t.notOk('Roles' in attachment, 'no default authenticated role: unmatched tokens get nothing')
    const mappings = Object.values<any>(attachment.RoleMappings)
    t.equal(mappings.length, 1)
    t.match(mappings[0], { IdentityProvider: { Ref: 'Auth0Domain' }, Type: 'Rules', AmbiguousRoleResolution: 'Deny' })
    t.same(mappings[0].RulesConfiguration.Rules, [
      {
        Claim: { Ref: 'IdentityPoolPermissionsClaim' },
        MatchType: 'Contains',
        Value: 'read:users',
        RoleARN: { 'Fn::GetAtt': ['IdentityPoolReaderRole', 'Arn'] }
      },
      {
        Claim: 'aud',
        MatchType: 'Equals',
        Value: { Ref: 'Auth0SpaClientId' },
        RoleARN: { 'Fn::GetAtt': ['IdentityPoolUserRole', 'Arn'] }
      }
    ])
    const rule = template.Rules.CreatingAnIdentityPoolNeedsTheSpaClientId
    t.same(rule.Assertions[0].Assert, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Auth0SpaClientId' }, ''] }] })
  })

t.test('/aws/whoami takes AWS_IAM authorization, its preflight none; the other routes stay as they were', async t => {
  t.same(template.Resources.HttpApi.Properties.Auth, { EnableIamAuthorizer: true })
  const events = fn.Properties.Events
  t.same(events.AwsWhoami.Properties.Auth, { Authorizer: 'AWS_IAM' })
  t.equal(events.AwsWhoami.Properties.Path, '/aws/whoami')
  for (const [name, event] of Object.entries<any>(events)) {
    if (name !== 'AwsWhoami') t.notOk('Auth' in event.Properties, `${name}: no gateway authorizer`)
  }
})
