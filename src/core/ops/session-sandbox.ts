/**
 * create_session's confinement options: on by default, `--no-sandbox` to opt out, and the
 * per-session widening (extra readable or writable paths, network domains) a user asks for.
 */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import type {SessionSandbox} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'

/** A host name or a `*.` wildcard of one: what Claude Code's network.allowedDomains takes. */
const DOMAIN = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/

const PathList = (what: string) => z.array(z.string().min(1).refine((value) => !value.includes('\0'), {message: 'contains a NUL byte'})).default([]).describe(what)

export const SandboxInput = z.object({
  sandbox: z.boolean().default(true).describe("Confine the session's claude agents with Claude Code's sandbox to the root (default); false runs them unconfined (HIGH level)"),
  sandboxAllowRead: PathList('Extra directories the agents may read (absolute paths; the CLI also takes relative ones)'),
  sandboxAllowWrite: PathList('Extra directories the agents may write and read, e.g. a package cache such as ~/.npm'),
  sandboxAllowDomains: z
    .array(z.string().regex(DOMAIN, {message: 'must be a host name such as registry.npmjs.org, or *.example.com'}))
    .default([])
    .describe("Network domains the agents' shell commands may reach (none by default)"),
})
type Input = z.infer<typeof SandboxInput>

/** The Session.sandbox record; `resolve` turns a caller's path into an absolute one. */
export async function sandboxFromInput(deps: CoreDeps, input: Input, resolve: (value: string) => string): Promise<SessionSandbox> {
  const widened = input.sandboxAllowRead.length + input.sandboxAllowWrite.length + input.sandboxAllowDomains.length > 0
  if (!input.sandbox && widened) {
    throw new CcmcpError('INVALID_INPUT', 'The sandbox allowances have no effect on a session without the sandbox.', {
      hint: {cli: 'Leave out --no-sandbox, or the --sandbox-allow-* flags.', mcp: 'Leave out sandbox: false, or the sandboxAllow* fields.'},
    })
  }
  const real = async (value: string) => {
    const absolute = resolve(value)
    // Claude Code compares resolved paths; a path that does not exist yet is kept as given.
    return deps.ports.host.realpath(absolute).catch(() => absolute)
  }
  return {
    enabled: input.sandbox,
    allowRead: await Promise.all(input.sandboxAllowRead.map(real)),
    allowWrite: await Promise.all(input.sandboxAllowWrite.map(real)),
    allowDomains: [...new Set(input.sandboxAllowDomains)],
  }
}
