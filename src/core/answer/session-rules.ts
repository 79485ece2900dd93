/** A session's auto-answer rules as given to create_session: each one parsed, so a typo fails now, not silently later. */
import {parseRule} from './rules.js'

export function sessionRules(input: {autoAllow?: readonly string[]; autoDeny?: readonly string[]}): {autoAllow?: string[]; autoDeny?: string[]} {
  const parsed = (list: readonly string[] | undefined) => (list && list.length > 0 ? list.map((rule) => parseRule(rule).rule) : undefined)
  const autoAllow = parsed(input.autoAllow)
  const autoDeny = parsed(input.autoDeny)
  return {...(autoAllow ? {autoAllow} : {}), ...(autoDeny ? {autoDeny} : {})}
}
