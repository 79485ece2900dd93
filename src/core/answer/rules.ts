/**
 * A session's auto-answer rules, in Claude Code's permission-rule syntax: `Tool` (every use),
 * `Bash(npm test*)` (a glob over the command; `npm run test:*` the legacy prefix form),
 * `Write(src/**)` (a glob over the path, relative to the session root; `//abs/**` absolute,
 * `~/x` under the home), `WebFetch(domain:example.com)`. Deny rules win over allow rules. An
 * allow rule never matches a Bash command that chains or substitutes commands, so
 * `Bash(npm test*)` cannot allow `npm test; rm -rf ~`; a deny rule matches any part of one.
 */
import path from 'node:path'

import {CcmcpError} from '../domain/errors.js'
import {PATH_TOOLS, primaryInput} from './request.js'

const RULE = /^([A-Za-z0-9_-]+(?:__[A-Za-z0-9_.-]+)*)(?:\((.+)\))?$/su
const CHAINING = /[;&|`\n\r]|\$\(|<\(|>\(/u

export interface ParsedRule {
  rule: string
  tool: string
  /** null: every use of the tool. */
  spec: string | null
}

export function parseRule(rule: string): ParsedRule {
  const match = RULE.exec(rule.trim())
  if (!match) {
    throw new CcmcpError('INVALID_INPUT', `"${rule}" is not a permission rule.`, {
      hint: 'Write it as Claude Code does: Tool or Tool(specifier), e.g. Bash(npm test*), Write(src/**), WebFetch(domain:example.com).',
    })
  }
  const spec = match[2] ?? null
  return {rule: rule.trim(), tool: match[1] as string, spec: spec === '*' ? null : spec}
}

export interface RuleContext {
  /** The session root: relative path rules are relative to it. */
  root: string
  home: string
}

function globToRegExp(glob: string, slashStops: boolean): RegExp {
  let source = ''
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string
    if (char === '*' && glob[index + 1] === '*') {
      source += '.*'
      index++
    } else if (char === '*') source += slashStops ? '[^/]*' : '.*'
    else if (char === '?') source += slashStops ? '[^/]' : '.'
    else source += char.replace(/[.+^${}()|[\]\\]/u, '\\$&')
  }
  return new RegExp(`^${source}$`, 'su')
}

function bashMatches(spec: string, command: string, behavior: 'allow' | 'deny'): boolean {
  const one = (part: string) => {
    const text = part.trim()
    if (spec.endsWith(':*')) {
      const prefix = spec.slice(0, -2)
      return text === prefix || text.startsWith(`${prefix} `)
    }
    return globToRegExp(spec, false).test(text)
  }
  if (behavior === 'allow') return !CHAINING.test(command) && one(command)
  return one(command) || command.split(/;|&&|\|\||\||&|\n|`|\$\(/u).some(one)
}

function pathMatches(spec: string, file: string, context: RuleContext): boolean {
  const pattern = spec.startsWith('//') ? spec.slice(1) : spec.startsWith('~/') ? path.join(context.home, spec.slice(2)) : path.join(context.root, spec)
  // A directory pattern means everything under it, as in .gitignore.
  const full = pattern.endsWith('/') ? `${pattern}**` : pattern
  return globToRegExp(full, true).test(path.resolve(context.root, file))
}

function domainMatches(spec: string, url: string): boolean {
  if (!spec.startsWith('domain:')) return false
  const domain = spec.slice('domain:'.length).toLowerCase()
  try {
    const host = new URL(url).hostname.toLowerCase()
    return host === domain || host.endsWith(`.${domain}`)
  } catch {
    return false
  }
}

export function ruleMatches(parsed: ParsedRule, tool: string, input: unknown, context: RuleContext, behavior: 'allow' | 'deny'): boolean {
  if (parsed.tool !== tool) return false
  if (parsed.spec === null) return true
  const value = primaryInput(tool, input)
  if (value === null) return false
  if (tool === 'Bash') return bashMatches(parsed.spec, value, behavior)
  if (PATH_TOOLS.has(tool)) return pathMatches(parsed.spec, value, context)
  if (tool === 'WebFetch') return domainMatches(parsed.spec, value)
  return false
}

export interface RuleAnswer {
  rule: string
  behavior: 'allow' | 'deny'
}

/** The rule that answers this tool call, deny rules first; null when none does (a person decides). */
export function autoAnswer(rules: {autoAllow?: readonly string[]; autoDeny?: readonly string[]}, tool: string, input: unknown, context: RuleContext): RuleAnswer | null {
  for (const [behavior, list] of [['deny', rules.autoDeny ?? []], ['allow', rules.autoAllow ?? []]] as const) {
    for (const rule of list) {
      let parsed: ParsedRule
      try {
        parsed = parseRule(rule)
      } catch {
        continue
      }
      if (ruleMatches(parsed, tool, input, context, behavior)) return {rule: parsed.rule, behavior}
    }
  }
  return null
}
