/**
 * An agent's own environment as ccmcp gave it at its latest launch (the FakeBackend keeps every
 * tab's request): the identity variables and its per-launch secret, which state does not hold.
 */
import {type AgentCaller, agentFromEnv} from '../../src/core/pipeline/caller.js'
import type {FakeBackend} from './fake-backend.js'

export function agentEnvOf(backend: FakeBackend, key: string): Record<string, string> {
  const tab = backend.tabs.filter((candidate) => candidate.request.agentKey === key).at(-1)
  if (!tab) throw new Error(`no tab was opened for ${key}`)
  return Object.fromEntries(Object.entries(tab.request.env).filter(([name]) => name.startsWith('CCMCP_')))
}

/** The caller the CLI would build inside that agent's environment. */
export function agentCallerOf(backend: FakeBackend, key: string): AgentCaller {
  const caller = agentFromEnv(agentEnvOf(backend, key))
  if (!caller) throw new Error(`${key} has no agent environment`)
  return caller
}
