/**
 * `agent create <session> --worktree [NAME]` (issue 14 item 2) as a user types it: NAME names the
 * worktree's folder and its default branch; a NAME git or the filesystem would misread is refused
 * with the fix before anything changes. Real git, real tmux, shells as agents.
 */
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {withOptionalValue} from '../../src/cli/optional-value.js'
import AgentCreate from '../../src/commands/agent/create.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const SHELL = 'bash --norc --noprofile -i'

let box: Sandbox
let repo: string
const ccmcp = (args: string[]) => box.run([...args, '--json'])
const branches = async () => (await execa('git', ['-C', repo, 'branch', '--format=%(refname:short)'])).stdout.split('\n').sort()

beforeAll(async () => {
  box = await createSandbox()
  repo = path.join(box.root, 'repo')
  await mkdir(repo)
  await execa('git', ['init', '-q', '-b', 'main', repo])
  await execa('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'first'])
  await writeFile(path.join(repo, 'README.md'), 'hello\n')
  expect((await ccmcp(['session', 'create', 'wt', '--root', repo])).exitCode).toBe(0)
}, 60_000)
afterAll(async () => {
  await box.cleanup()
  await rm(`${repo}.ccmcp-worktrees`, {recursive: true, force: true})
})

describe('agent create --worktree NAME', () => {
  it('names the folder and the default branch; --branch still names the branch', async () => {
    const named = await ccmcp(['agent', 'create', 'wt', '--worktree', 'login-fix', '--command', SHELL])
    expect(named.exitCode, named.stdout).toBe(0)
    expect((named.json as Json).agent).toMatchObject({name: 'Agent_1', worktree: {path: `${repo}.ccmcp-worktrees/wt/login-fix`, branch: 'ccmcp/wt/login-fix'}})
    const equals = await ccmcp(['agent', 'create', 'wt', '--name', 'two', '--worktree=api.v2', '--branch', 'feature/api', '--command', SHELL])
    expect(equals.exitCode, equals.stdout).toBe(0)
    expect((equals.json as Json).agent.worktree).toMatchObject({path: `${repo}.ccmcp-worktrees/wt/api.v2`, branch: 'feature/api'})
    // Without NAME, as before: the agent's name.
    const plain = await ccmcp(['agent', 'create', 'wt', '--worktree', '--name', 'three', '--command', SHELL])
    expect((plain.json as Json).agent.worktree).toMatchObject({path: `${repo}.ccmcp-worktrees/wt/three`, branch: 'ccmcp/wt/three'})
    expect(await branches()).toEqual(['ccmcp/wt/login-fix', 'ccmcp/wt/three', 'feature/api', 'main'])
  }, 120_000)

  it('a NAME that is no folder or branch name, or that is taken, is refused with the fix and nothing changes', async () => {
    const before = {agents: ((await ccmcp(['agent', 'list'])).json as Json).agents.length, branches: await branches()}
    for (const bad of ['../escape', 'a/b', '.hidden', '-x=1', 'x..y', 'name.lock', 'trailing.', 'has space', 'é', 'x'.repeat(101)]) {
      const refused = await ccmcp(['agent', 'create', 'wt', `--worktree=${bad}`, '--command', SHELL])
      expect(refused.exitCode, bad).toBe(2)
      expect((refused.json as Json).error.message, bad).toMatch(/worktree name|worktreeName/)
    }
    const hint = ((await ccmcp(['agent', 'create', 'wt', '--worktree=a/b', '--command', SHELL])).json as Json).error.hint
    expect(hint).toMatch(/--worktree fix-login/)
    // Taken: the folder and branch of login-fix exist.
    const taken = await ccmcp(['agent', 'create', 'wt', '--worktree', 'login-fix', '--command', SHELL])
    expect(taken.exitCode).toBe(7)
    expect((taken.json as Json).error.message).toContain('ccmcp/wt/login-fix')
    // A NAME for an agent without a worktree.
    expect((await ccmcp(['agent', 'create', 'wt', '--no-worktree', '--worktree-name', 'x', '--command', SHELL])).exitCode).toBe(2)
    expect({agents: ((await ccmcp(['agent', 'list'])).json as Json).agents.length, branches: await branches()}).toEqual(before)
    expect(existsSync(`${repo}.ccmcp-worktrees/wt/x`)).toBe(false)
  }, 120_000)
})

describe('withOptionalValue (--worktree [NAME] before oclif parses)', () => {
  const rewrite = (...argv: string[]) => withOptionalValue(argv, 'worktree', 'worktree-name', 1, AgentCreate.flags as never)
  it('takes NAME after --worktree only where it cannot be the session', () => {
    expect(rewrite('api', '--worktree', 'fix')).toEqual(['api', '--worktree', '--worktree-name', 'fix'])
    expect(rewrite('api', '--worktree=fix')).toEqual(['api', '--worktree', '--worktree-name', 'fix'])
    expect(rewrite('--worktree=fix', 'api')).toEqual(['--worktree', '--worktree-name', 'fix', 'api'])
    // The session comes after: it stays the session.
    expect(rewrite('--worktree', 'api')).toEqual(['--worktree', 'api'])
    // A flag's value is no positional: "reviewer" is --name's.
    expect(rewrite('--name', 'reviewer', '--worktree', 'api')).toEqual(['--name', 'reviewer', '--worktree', 'api'])
    expect(rewrite('api', '--worktree', '--branch', 'b')).toEqual(['api', '--worktree', '--branch', 'b'])
    expect(rewrite('api', '-n', 'x', '--worktree', 'fix')).toEqual(['api', '-n', 'x', '--worktree', '--worktree-name', 'fix'])
    expect(rewrite('api', '--', '--worktree', 'fix')).toEqual(['api', '--', '--worktree', 'fix'])
  })
})
