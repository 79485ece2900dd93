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

/**
 * The CCMCP_* environment of the process running in a real tmux agent's pane (the launcher execs
 * the agent program, so the pane's pid is the agent's): what a same-user process can read from
 * /proc, and what a test needs to act as that agent. Linux only.
 */
export async function agentEnvFromPane(tmux: (args: string[]) => Promise<{stdout: string}>, key: string): Promise<Record<string, string>> {
  const {readFile} = await import('node:fs/promises')
  const panes = (await tmux(['list-panes', '-a', '-F', '#{pane_pid} #{@ccmcp_agent}'])).stdout.split('\n')
  const pid = panes.find((line) => line.endsWith(` ${key}`))?.split(' ')[0]
  if (!pid) throw new Error(`no tmux pane runs ${key}`)
  const read = async () =>
    Object.fromEntries(
      (await readFile(`/proc/${pid}/environ`, 'utf8'))
        .split('\0')
        .filter((entry) => entry.startsWith('CCMCP_'))
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    ) as Record<string, string>
  // Until the launcher has exec'd the agent, the pane's process has the launcher's environment
  // (no identity yet); on a loaded machine `agent create` can return before that.
  const deadline = Date.now() + 10_000
  for (;;) {
    const env = await read()
    if (env.CCMCP_AGENT_SECRET || Date.now() > deadline) return env
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
