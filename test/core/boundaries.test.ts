/**
 * The architecture's boundaries as eslint.config.js enforces them: probe sources, linted
 * in-process under the path they would have, must trip the rule (static and dynamic imports
 * alike), and a clean file must pass. Plus the tree itself: no node I/O in core logic.
 */
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({cwd: repo})
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax'])

/** Every message ESLint gives for `code` as if it were `file` (relative to the repo). */
async function lint(file: string, code: string): Promise<{rule: string | null; message: string}[]> {
  const [result] = await eslint.lintText(code, {filePath: path.join(repo, file)})
  return (result?.messages ?? []).map((message) => ({rule: message.ruleId, message: message.message}))
}

async function boundaryViolations(file: string, code: string): Promise<string[]> {
  return (await lint(file, code)).filter((entry) => entry.rule && BOUNDARY_RULES.has(entry.rule)).map((entry) => entry.message)
}

describe('core logic reaches the machine only through ports', () => {
  const nodeIo = [
    "import {readFile} from 'node:fs/promises'\nexport const probe = readFile",
    "import {existsSync} from 'node:fs'\nexport const probe = existsSync",
    "import fs from 'fs'\nexport const probe = fs",
    "import {readFile} from 'fs/promises'\nexport const probe = readFile",
    "import os from 'node:os'\nexport const probe = os.homedir",
    "import {homedir} from 'os'\nexport const probe = homedir",
    "import {spawn} from 'node:child_process'\nexport const probe = spawn",
    "import 'child_process'",
    "export {readFile} from 'node:fs/promises'",
  ]
  for (const file of ['src/core/probe.ts', 'src/core/ops/probe.ts', 'src/core/agents/probe.ts']) {
    it.each(nodeIo)(`${file}: a static import of node I/O fails: %s`, async (code) => {
      expect(await boundaryViolations(file, code)).toEqual([expect.stringMatching(/through ports/)])
    })
  }

  it.each([
    ['src/core/probe.ts', "export const probe = () => import('./adapters/exec.js')"],
    ['src/core/ops/probe.ts', "export const probe = async () => (await import('../adapters/local-host.js')).localHost"],
    ['src/core/probe.ts', "export const probe = () => import('node:fs/promises')"],
    ['src/core/probe.ts', "export const probe = () => import('os')"],
    ['src/core/probe.ts', "export const probe = () => import('execa')"],
    ['src/core/probe.ts', "import {localHost} from './adapters/local-host.js'\nexport const probe = localHost"],
  ])('%s: reaching an adapter or node I/O by import() (or statically) fails: %s', async (file, code) => {
    expect(await boundaryViolations(file, code)).toEqual([expect.stringMatching(/through ports/)])
  })

  it('an import() core cannot check (a computed name) fails', async () => {
    expect(await boundaryViolations('src/core/probe.ts', "export const probe = (name: string) => import(name)")).toEqual([expect.stringMatching(/literal name/)])
  })

  it('core never imports a surface, statically or by import()', async () => {
    expect(await boundaryViolations('src/core/probe.ts', "import {serve} from '../mcp/serve.js'\nexport const probe = serve")).toEqual([expect.stringMatching(/core must not depend on a surface/)])
    expect(await boundaryViolations('src/core/adapters/probe.ts', "export const probe = () => import('../../tui/start.js')")).toEqual([expect.stringMatching(/core must not depend on a surface/)])
  })

  it('adapters and entry points may use node I/O', async () => {
    const code = "import {readFile} from 'node:fs/promises'\nimport os from 'node:os'\nexport const probe = [readFile, os, () => import('node:child_process')]"
    for (const file of ['src/core/adapters/probe.ts', 'src/core/adapters/tmux/probe.ts', 'src/core/entry/runtime.ts', 'src/core/entry/hook-entry.ts', 'src/core/entry/flush-entry.ts']) {
      expect(await boundaryViolations(file, code), file).toEqual([])
    }
  })

  it('a clean core logic file passes every rule', async () => {
    const code = "import path from 'node:path'\n\nimport type {Host} from './ports.js'\n\nexport const where = (host: Host): string => path.join(host.homeDir(), 'x')\nexport const later = () => import('./domain.js')\n"
    expect(await lint('src/core/probe.ts', code)).toEqual([])
  })
})

describe('surfaces import neither adapters nor each other', () => {
  it.each([
    ['src/mcp/probe.ts', "import {App} from '../tui/app.js'\nexport const probe = App"],
    ['src/mcp/probe.ts', "export const probe = () => import('../commands/serve.js')"],
    ['src/mcp/probe.ts', "import {BaseCommand} from '../cli/base-command.js'\nexport const probe = BaseCommand"],
    ['src/tui/probe.ts', "export const probe = () => import('../mcp/server.js')"],
    ['src/tui/components/probe.tsx', "import {BaseCommand} from '../../cli/base-command.js'\nexport const probe = BaseCommand"],
    ['src/cli/probe.ts', "import Doctor from '../commands/doctor.js'\nexport const probe = Doctor"],
    ['src/cli/fast/probe.ts', "import {createMcpServer} from '../../mcp/server.js'\nexport const probe = createMcpServer"],
    ['src/commands/probe.ts', "export const probe = () => import('../mcp/server.js')"],
    ['src/commands/agent/probe.ts', "import {App} from '../../tui/app.js'\nexport const probe = App"],
  ])('%s: %s fails', async (file, code) => {
    expect(await boundaryViolations(file, code)).toEqual([expect.stringMatching(/must not import another surface/)])
  })

  it.each([
    ['src/commands/probe.ts', "import {exec} from '../core/adapters/exec.js'\nexport const probe = exec"],
    ['src/mcp/probe.ts', "export const probe = () => import('../core/adapters/local-host.js')"],
  ])('%s: reaching an adapter (%s) fails', async (file, code) => {
    expect(await boundaryViolations(file, code)).toEqual([expect.stringMatching(/only through core\/entry\/runtime/)])
  })

  it('commands may use src/cli and start the MCP server and the TUI', async () => {
    const code = [
      "import {BaseCommand} from '../cli/base-command.js'",
      "import {createRuntime} from '../core/entry/runtime.js'",
      'export const probe = [BaseCommand, createRuntime, () => import(\'../mcp/serve.js\'), () => import(\'../tui/start.js\'), () => import(\'../cli/format.js\')]',
    ].join('\n')
    expect(await lint('src/commands/probe.ts', code)).toEqual([])
  })

  it("the CLI's fast path may start the MCP server (and nothing else of it)", async () => {
    expect(await lint('src/cli/fast/probe.ts', "import {serve} from '../../mcp/serve.js'\nexport const probe = serve")).toEqual([])
  })
})

describe('the tree', () => {
  it('core logic imports no node:fs, node:os or node:child_process outside adapters and entry points', async () => {
    const core = path.join(repo, 'src', 'core')
    const files = (await readdir(core, {recursive: true})).filter((file) => file.endsWith('.ts') && !file.startsWith(`adapters${path.sep}`) && !file.startsWith(`entry${path.sep}`))
    expect(files.length).toBeGreaterThan(20)
    const offenders = []
    for (const file of files) {
      const text = await readFile(path.join(core, file), 'utf8')
      if (/(\bfrom\s*|\bimport\s*\(?\s*)['"](node:)?(fs|os|child_process)(\/[\w]+)?['"]/.test(text)) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })
})
