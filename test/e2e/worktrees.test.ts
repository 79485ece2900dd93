/**
 * Issue 14 item 2 as a user runs it: a real git repository, real tmux, agents that are real
 * shells working in their own worktrees (they commit by typing git commands), and ccmcp's
 * commands in-process (test/helpers/cli.ts).
 */
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const SHELL = 'bash --norc --noprofile -i'

let box: Sandbox
let repo: string
const git = async (cwd: string, ...args: string[]) => (await execa('git', ['-C', cwd, ...args], {reject: false})).stdout.trim()
const gitExit = async (cwd: string, ...args: string[]) => (await execa('git', ['-C', cwd, ...args], {reject: false})).exitCode
const ccmcp = (args: string[]) => box.run([...args, '--json'])
const agents = async (session: string): Promise<Json[]> => ((await ccmcp(['agent', 'list', '--session', session])).json as Json).agents
const agentNamed = async (session: string, name: string) => (await agents(session)).find((agent) => agent.name === name)
/** Types a shell line into the agent and waits for its effect. */
const type = async (agent: string, line: string) => expect((await ccmcp(['agent', 'send', agent, line])).exitCode).toBe(0)

beforeAll(async () => {
  box = await createSandbox()
  repo = path.join(box.root, 'repo')
  await mkdir(repo)
  await execa('git', ['init', '-q', '-b', 'main', repo])
  await execa('git', ['-C', repo, 'config', 'user.name', 'Test'])
  await execa('git', ['-C', repo, 'config', 'user.email', 'test@example.com'])
  await writeFile(path.join(repo, 'README.md'), 'hello\n')
  await writeFile(path.join(repo, '.gitignore'), '.env\n*.local\n')
  await writeFile(path.join(repo, '.worktreeinclude'), '.env\nnot-ignored.txt\n')
  await execa('git', ['-C', repo, 'add', '.'])
  await execa('git', ['-C', repo, 'commit', '-qm', 'first'])
  // Ignored files: .env is listed in .worktreeinclude, secret.local is not.
  await writeFile(path.join(repo, '.env'), 'TOKEN=x\n')
  await writeFile(path.join(repo, 'secret.local'), 'no\n')
  expect((await ccmcp(['session', 'create', 'wt', '--root', repo])).exitCode).toBe(0)
}, 60_000)
afterAll(async () => {
  await box.cleanup()
  await rm(`${repo}.ccmcp-worktrees`, {recursive: true, force: true})
})

describe('a git worktree per agent', () => {
  it('two agents commit on their own branches; delete is refused while work is uncommitted; merge brings the branch in', async () => {
    for (const name of ['Agent_1', 'Agent_2']) {
      const created = await ccmcp(['agent', 'create', 'wt', '--worktree', '--command', SHELL])
      expect(created.exitCode, created.stderr).toBe(0)
      expect((created.json as Json).agent.worktree).toMatchObject({path: `${repo}.ccmcp-worktrees/wt/${name}`, branch: `ccmcp/wt/${name}`, base: 'HEAD', cwd: `${repo}.ccmcp-worktrees/wt/${name}`})
    }
    const worktree1 = `${repo}.ccmcp-worktrees/wt/Agent_1`
    // .worktreeinclude: an ignored file it names is copied; an ignored file it does not name and a
    // tracked-or-missing name are not.
    expect(await readFile(path.join(worktree1, '.env'), 'utf8')).toBe('TOKEN=x\n')
    expect(existsSync(path.join(worktree1, 'secret.local'))).toBe(false)

    // Each agent (a shell in its worktree) commits a file of its own.
    await type('wt/Agent_1', 'echo one > one.txt && git add one.txt && git commit -qm one')
    await type('wt/Agent_2', 'echo two > two.txt && git add two.txt && git commit -qm two')
    await eventually(async () => ((await git(repo, 'rev-list', '--count', 'main..ccmcp/wt/Agent_1')) === '1' && (await git(repo, 'rev-list', '--count', 'main..ccmcp/wt/Agent_2')) === '1' ? true : undefined), 30_000)
    expect(await git(repo, 'ls-tree', '--name-only', 'ccmcp/wt/Agent_1')).toContain('one.txt')
    expect(await git(repo, 'ls-tree', '--name-only', 'ccmcp/wt/Agent_1')).not.toContain('two.txt')
    expect(await git(repo, 'ls-tree', '--name-only', 'ccmcp/wt/Agent_2')).toContain('two.txt')
    expect(await git(repo, 'status', '--porcelain')).toBe('')

    // Status shows the branch and the unmerged commit.
    const status = (await ccmcp(['session', 'status', 'wt'])).json as Json
    expect(status.agents.find((agent: Json) => agent.name === 'Agent_1').git).toMatchObject({branch: 'ccmcp/wt/Agent_1', target: 'main', uncommitted: 0, unmerged: 1, error: null})
    const human = await box.run(['session', 'status', 'wt'])
    expect(human.stdout).toMatch(/Agent_1 .* ccmcp\/wt\/Agent_1 ↑1/)

    // An uncommitted change: delete is refused, nothing removed.
    await type('wt/Agent_1', 'echo dirty > dirty.txt')
    await eventually(async () => ((await agentNamed('wt', 'Agent_1'))?.git.uncommitted === 1 ? true : undefined), 30_000)
    const refused = await ccmcp(['agent', 'delete', 'wt/Agent_1', '--yes'])
    expect(refused.exitCode).toBe(16)
    expect((refused.json as Json).error.message).toMatch(/wt\/Agent_1 \(ccmcp\/wt\/Agent_1 in .*\): 1 uncommitted change and 1 commit not merged into main/)
    expect((refused.json as Json).error.hint).toMatch(/--force/)
    expect(existsSync(path.join(worktree1, 'dirty.txt'))).toBe(true)
    expect((await agentNamed('wt', 'Agent_1'))?.status).not.toBe('closed')
    // Merge is refused too while the change is uncommitted.
    expect((await ccmcp(['agent', 'merge', 'wt/Agent_1', '--yes'])).exitCode).toBe(16)

    await type('wt/Agent_1', 'rm dirty.txt')
    await eventually(async () => ((await agentNamed('wt', 'Agent_1'))?.git.uncommitted === 0 ? true : undefined), 30_000)
    const merged = await ccmcp(['agent', 'merge', 'wt/Agent_1', '--yes'])
    expect(merged.exitCode, merged.stderr).toBe(0)
    expect(merged.json).toMatchObject({merged: {session: 'wt', agent: 'Agent_1', branch: 'ccmcp/wt/Agent_1', into: 'main'}, removed: {worktree: worktree1, branchDeleted: true}})
    expect(await git(repo, 'show', 'main:one.txt')).toBe('one')
    expect(await readFile(path.join(repo, 'one.txt'), 'utf8')).toBe('one\n')
    expect(existsSync(worktree1)).toBe(false)
    expect(await gitExit(repo, 'rev-parse', '--verify', '--quiet', 'refs/heads/ccmcp/wt/Agent_1')).not.toBe(0)
    expect(await agentNamed('wt', 'Agent_1')).toBeUndefined()
  }, 180_000)

  it('a conflicting merge is aborted, names the files, and leaves the repository as it was', async () => {
    await type('wt/Agent_2', 'echo agent > README.md && git commit -qam readme-agent')
    await eventually(async () => ((await git(repo, 'rev-list', '--count', 'main..ccmcp/wt/Agent_2')) === '2' ? true : undefined), 30_000)
    await writeFile(path.join(repo, 'README.md'), 'operator\n')
    await execa('git', ['-C', repo, 'commit', '-qam', 'readme-operator'])
    const mainBefore = await git(repo, 'rev-parse', 'main')
    const branchBefore = await git(repo, 'rev-parse', 'ccmcp/wt/Agent_2')

    const conflict = await ccmcp(['agent', 'merge', 'wt/Agent_2', '--yes'])
    expect(conflict.exitCode).toBe(16)
    expect((conflict.json as Json).error.message).toMatch(/conflicts in: README\.md\. The merge was aborted; nothing changed/)
    expect(await git(repo, 'rev-parse', 'main')).toBe(mainBefore)
    expect(await git(repo, 'rev-parse', 'ccmcp/wt/Agent_2')).toBe(branchBefore)
    expect(await git(repo, 'status', '--porcelain')).toBe('')
    expect(existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false)
    expect(await readFile(path.join(repo, 'README.md'), 'utf8')).toBe('operator\n')
    expect((await agentNamed('wt', 'Agent_2'))?.git).toMatchObject({uncommitted: 0, unmerged: 2})

    // Unmerged commits: delete is refused; --force removes the worktree and keeps the branch.
    expect((await ccmcp(['agent', 'delete', 'wt/Agent_2', '--yes'])).exitCode).toBe(16)
    const forced = await ccmcp(['agent', 'delete', 'wt/Agent_2', '--yes', '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(existsSync(`${repo}.ccmcp-worktrees/wt/Agent_2`)).toBe(false)
    expect(await git(repo, 'rev-parse', 'ccmcp/wt/Agent_2')).toBe(branchBefore)
  }, 120_000)

  it('bad input changes nothing: not a git repository, an existing branch, a branch without --worktree', async () => {
    const plain = await mkdtemp(path.join(os.tmpdir(), 'ccr-plain-'))
    try {
      expect((await ccmcp(['session', 'create', 'plain', '--root', plain])).exitCode).toBe(0)
      const notRepo = await ccmcp(['agent', 'create', 'plain', '--worktree', '--command', SHELL])
      expect(notRepo.exitCode).toBe(2)
      expect((notRepo.json as Json).error.message).toMatch(/is not in a git repository/)
      expect(await agents('plain')).toEqual([])
      expect(existsSync(`${plain}.ccmcp-worktrees`)).toBe(false)
      expect((await ccmcp(['session', 'create', 'plain2', '--root', plain, '--worktrees'])).exitCode).toBe(2)
      expect((await ccmcp(['session', 'list'])).stdout).not.toContain('plain2')
    } finally {
      await rm(plain, {recursive: true, force: true})
    }

    await execa('git', ['-C', repo, 'branch', 'taken'])
    const taken = await ccmcp(['agent', 'create', 'wt', '--worktree', '--branch', 'taken', '--command', SHELL])
    expect(taken.exitCode).toBe(7)
    expect((taken.json as Json).error).toMatchObject({message: expect.stringMatching(/branch "taken" already exists/), hint: expect.stringMatching(/--reuse-branch/)})
    const badBranch = await ccmcp(['agent', 'create', 'wt', '--worktree', '--branch', 'a..b', '--command', SHELL])
    expect(badBranch.exitCode).toBe(2)
    expect((await ccmcp(['agent', 'create', 'wt', '--branch', 'x', '--command', SHELL])).exitCode).toBe(2)
    // A base that looks like an option is a revision to git, never a flag.
    const optionBase = await ccmcp(['agent', 'create', 'wt', '--worktree', '--base=--output=/tmp/ccmcp-pwned-base', '--command', SHELL])
    expect(optionBase.exitCode).toBe(2)
    expect((optionBase.json as Json).error.message).toMatch(/does not name a commit/)
    expect(existsSync('/tmp/ccmcp-pwned-base')).toBe(false)
    expect(await agents('wt')).toEqual([])
    expect(await git(repo, 'worktree', 'list')).not.toMatch(/ccmcp-worktrees/)

    // Reusing the branch explicitly works.
    const reused = await ccmcp(['agent', 'create', 'wt', '--worktree', '--branch', 'taken', '--reuse-branch', '--command', SHELL])
    expect(reused.exitCode, reused.stderr).toBe(0)
    expect((reused.json as Json).agent.worktree).toMatchObject({branch: 'taken'})
  }, 120_000)

  it('a session defaulting to worktrees runs its setup command in each; a failing setup leaves nothing behind; session delete guards work', async () => {
    const created = await ccmcp(['session', 'create', 'auto', '--root', repo, '--worktrees', '--setup', "sh -c 'pwd > setup.local'"])
    expect(created.exitCode, created.stderr).toBe(0)
    expect((created.json as Json).session).toMatchObject({worktrees: true, setup: ['sh', '-c', 'pwd > setup.local']})
    const agent = ((await ccmcp(['agent', 'create', 'auto', '--command', SHELL])).json as Json).agent
    expect(await readFile(path.join(agent.worktree.path, 'setup.local'), 'utf8')).toBe(`${agent.worktree.path}\n`)
    // --no-worktree overrides the session's default.
    expect(((await ccmcp(['agent', 'create', 'auto', '--no-worktree', '--command', SHELL])).json as Json).agent.worktree).toBeNull()

    expect((await ccmcp(['session', 'create', 'broken', '--root', repo, '--worktrees', '--setup', 'false'])).exitCode).toBe(0)
    const failed = await ccmcp(['agent', 'create', 'broken', '--command', SHELL])
    expect(failed.exitCode).toBe(6)
    expect((failed.json as Json).error.message).toMatch(/setup command `false` failed \(exit 1\)/)
    expect(await agents('broken')).toEqual([])
    expect(existsSync(`${repo}.ccmcp-worktrees/broken/Agent_1`)).toBe(false)
    expect(await gitExit(repo, 'rev-parse', '--verify', '--quiet', 'refs/heads/ccmcp/broken/Agent_1')).not.toBe(0)

    await writeFile(path.join(agent.worktree.path, 'work.txt'), 'unsaved\n')
    const refused = await ccmcp(['session', 'delete', 'auto', '--yes'])
    expect(refused.exitCode).toBe(16)
    expect((await ccmcp(['session', 'list'])).stdout).toContain('auto')
    expect(existsSync(path.join(agent.worktree.path, 'work.txt'))).toBe(true)
    expect((await ccmcp(['session', 'delete', 'auto', '--yes', '--force'])).exitCode).toBe(0)
    expect(existsSync(agent.worktree.path)).toBe(false)
  }, 120_000)

  it('merge --into a branch checked out nowhere merges in a throwaway worktree and leaves the root alone', async () => {
    await execa('git', ['-C', repo, 'branch', 'release', 'main'])
    const created = await ccmcp(['agent', 'create', 'wt', '--name', 'rel', '--worktree', '--command', SHELL])
    expect(created.exitCode, created.stderr).toBe(0)
    await type('wt/rel', 'echo fix > fix.txt && git add fix.txt && git commit -qm fix')
    await eventually(async () => ((await git(repo, 'rev-list', '--count', 'release..ccmcp/wt/rel')) === '1' ? true : undefined), 30_000)
    const mainBefore = await git(repo, 'rev-parse', 'main')
    const merged = await ccmcp(['agent', 'merge', 'wt/rel', '--into', 'release', '--yes'])
    expect(merged.exitCode, merged.stderr).toBe(0)
    expect(merged.json).toMatchObject({merged: {into: 'release'}, removed: {branchDeleted: true}})
    expect(await git(repo, 'show', 'release:fix.txt')).toBe('fix')
    expect(await git(repo, 'rev-parse', 'main')).toBe(mainBefore)
    expect(existsSync(path.join(repo, 'fix.txt'))).toBe(false)
    expect(await git(repo, 'worktree', 'list')).not.toMatch(/\.merge-|wt\/rel/)
    expect((await ccmcp(['agent', 'merge', 'wt/Agent_9', '--into', 'nope', '--yes'])).exitCode).toBe(3)
  }, 120_000)
})
