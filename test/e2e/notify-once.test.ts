/**
 * Issue 14 item 3 with real processes: a notifyCommand runs exactly once per transition while
 * many ccmcp processes race to write it — hook processes reporting the same event at once, and
 * CLI processes reconciling the same vanished tab at once. The command appends a line per run.
 */
import {randomUUID} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox, eventually, hookScript} from '../helpers/cli.js'
import {agentEnvFromPane} from '../helpers/agent-env.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const RACERS = 5

describe('notifyCommand: exactly once per transition, with several processes racing', () => {
  let box: Sandbox
  let log: string
  const marker = `ccmcp-notify-${randomUUID()}`
  const lines = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean)
  /** Every notify command started so far has finished (they are detached; pgrep finds them by their marker argument). */
  const notifiersDone = async () => ((await execa('pgrep', ['-f', marker], {reject: false})).stdout.trim() === '' ? true : undefined)

  beforeAll(async () => {
    box = await createSandbox()
    log = path.join(box.home, 'notified.txt')
    const command = JSON.stringify(['/bin/sh', '-c', 'printf "%s %s %s %s/%s\\n" "$CCMCP_NOTIFY_KIND" "$CCMCP_OLD_STATUS" "$CCMCP_NEW_STATUS" "$CCMCP_SESSION" "$CCMCP_AGENT" >> "$0"', log, marker])
    expect((await box.run(['config', 'set', 'notifyCommand', command])).exitCode).toBe(0)
    expect((await box.run(['config', 'set', 'notifyTurnFinished', 'true'])).exitCode).toBe(0)
    expect((await box.run(['session', 'create', 'n', '--root', box.root])).exitCode).toBe(0)
    expect((await box.run(['agent', 'create', 'n', '--command', 'sleep 600'])).exitCode).toBe(0)
  }, 60_000)
  afterAll(async () => {
    await box?.cleanup()
  })

  it('hooks racing on one event, then CLIs racing to reconcile a vanished tab: one line per transition', async () => {
    const agent = ((await box.run(['agent', 'list', '--json'])).json as Json).agents[0] as Json
    // The hooks run in the agent's own environment: its identity and per-launch secret.
    const agentEnv = await agentEnvFromPane((args) => box.tmux(args), `n/${agent.name}`)
    expect(agentEnv).toMatchObject({CCMCP_SESSION: 'n', CCMCP_AGENT: agent.name, CCMCP_LAUNCH_ID: agent.launchId})
    const report = (event: Record<string, unknown>) =>
      execa(process.execPath, [hookScript], {
        input: JSON.stringify({session_id: '00000000-0000-4000-8000-000000000000', ...event}),
        env: {CCMCP_HOME: box.home, ...agentEnv},
      })
    const race = (event: Record<string, unknown>) => Promise.all([...Array.from({length: RACERS}, () => report(event)), box.spawn(['agent', 'list', '--json'])])

    await race({hook_event_name: 'StopFailure', error: 'rate_limit'})
    await race({hook_event_name: 'UserPromptSubmit', prompt: 'go'})
    await race({hook_event_name: 'Stop', last_assistant_message: 'done'})
    expect((await box.tmux(['kill-server'])).exitCode).toBe(0)
    const listed = await Promise.all(Array.from({length: RACERS}, () => box.spawn(['agent', 'list', '--json'])))
    for (const result of listed) expect((result.json as Json).agents[0].status, result.stderr).toBe('lost')

    const expected = ['error unknown error n/Agent_1', 'turnFinished busy idle n/Agent_1', 'exited idle lost n/Agent_1']
    await eventually(async () => ((await lines()).length >= expected.length ? true : undefined), 60_000)
    await eventually(notifiersDone, 60_000)
    expect(await lines()).toEqual(expected)
    const stored = ((await box.run(['agent', 'list', '--json'])).json as Json).agents[0]
    expect(stored.lastTransition).toMatchObject({seq: 3, kind: 'exited', from: 'idle', to: 'lost'})
  }, 400_000)
})
