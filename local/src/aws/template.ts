/**
 * What the stand-ins read from template.yaml, so that they do what the deployed stack would: one definition.
 * The identity pool's role rules (IdentityPoolRoles), and the routes with AWS_IAM authorization.
 *
 * Role rules map a token to the role the deployed pool would. Matched as Cognito matches rules: in order, the
 * first match wins; a claim the token lacks matches nothing; no match is refused (AmbiguousRoleResolution Deny).
 */
import { readFileSync } from 'node:fs'
import { parse, type ScalarTag } from 'yaml'

export type MatchType = 'Equals' | 'NotEqual' | 'StartsWith' | 'Contains'
export interface RoleRule { claim: string, matchType: MatchType, value: string, roleName: string }

type Node = string | { Ref?: string, Sub?: string, GetAtt?: string }
// The three short forms the rules and role names use; other tags (!If, ...) only need to parse.
const customTags = ['Ref', 'Sub', 'GetAtt']
  .map(name => ({ tag: `!${name}`, resolve: (value: string) => ({ [name]: value }) }))

export const readTemplate = (path: string) =>
  parse(readFileSync(path, 'utf8'), { customTags: customTags as ScalarTag[], logLevel: 'error' })

/** ApiFunction's HttpApi events as `METHOD /path` (API Gateway's `{param}`), those `only` keeps. */
export function httpApiRoutes (template: any, only: (event: any) => boolean = () => true): string[] {
  const events = Object.values<any>(template.Resources.ApiFunction.Properties.Events ?? {})
  return events.filter(event => event.Type === 'HttpApi' && only(event))
    .map(event => `${event.Properties.Method.toUpperCase()} ${event.Properties.Path}`)
}

/** ApiFunction's HttpApi routes with `Auth: { Authorizer: AWS_IAM }`, as `GET /aws/whoami`. */
export const readIamRoutes = (templatePath: string) =>
  httpApiRoutes(readTemplate(templatePath), event => event.Properties.Auth?.Authorizer === 'AWS_IAM')

/**
 * The rules for `parameters` (the stack's parameter values; the template's defaults fill the rest, and
 * `AWS::StackName` names the roles). Role names come from each role's RoleName.
 */
export function readRoleRules (templatePath: string, parameters: Record<string, string>): RoleRule[] {
  const template = readTemplate(templatePath)
  const value = (name: string) => parameters[name] ?? String(template.Parameters[name]?.Default ?? `\${${name}}`)
  const resolve = (node: Node): string => {
    if (typeof node === 'string') return node
    if (node.Ref) return value(node.Ref)
    if (node.Sub) return node.Sub.replace(/\$\{([\w:]+)\}/g, (_, name: string) => value(name))
    throw new Error(`template.yaml: cannot resolve ${JSON.stringify(node)}`)
  }
  const roleName = (node: Node) => {
    const [logicalId] = String(typeof node === 'string' ? node : node.GetAtt).split('.')
    return resolve(template.Resources[logicalId!].Properties.RoleName)
  }
  const mappings = Object.values<any>(template.Resources.IdentityPoolRoles.Properties.RoleMappings)
  if (mappings.length !== 1 || mappings[0].Type !== 'Rules' || mappings[0].AmbiguousRoleResolution !== 'Deny') {
    throw new Error('template.yaml: the stand-in knows one Rules mapping with AmbiguousRoleResolution Deny')
  }
  return mappings[0].RulesConfiguration.Rules.map((rule: any) => ({
    claim: resolve(rule.Claim),
    matchType: rule.MatchType,
    value: resolve(rule.Value),
    roleName: roleName(rule.RoleARN)
  }))
}

/** The role name of the first rule the claims match, or null. Only string claims match, as Cognito's rules read. */
export function matchRole (rules: RoleRule[], claims: Record<string, unknown>): string | null {
  for (const { claim, matchType, value, roleName } of rules) {
    const held = claims[claim]
    if (typeof held !== 'string') continue
    const matched = matchType === 'Equals'
      ? held === value
      : matchType === 'NotEqual'
        ? held !== value
        : matchType === 'StartsWith' ? held.startsWith(value) : held.includes(value)
    if (matched) return roleName
  }
  return null
}
