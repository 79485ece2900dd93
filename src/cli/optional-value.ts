/**
 * oclif has no flag whose value is optional, and `agent create <session> --worktree [NAME]` needs
 * one. Before parsing, `--worktree=NAME`, or `--worktree NAME` once the command's arguments are
 * given (so NAME cannot be one of them), becomes `--worktree --<valueFlag> NAME`. Anything else
 * is left to oclif, which then explains what is wrong.
 */
interface FlagShape {
  type: string
  char?: string
}

export function withOptionalValue(argv: readonly string[], flag: string, valueFlag: string, args: number, flags: Readonly<Record<string, FlagShape>>): string[] {
  const takesValue = new Set<string>()
  for (const [name, shape] of Object.entries(flags)) {
    if (shape.type === 'boolean') continue
    takesValue.add(`--${name}`)
    if (shape.char) takesValue.add(`-${shape.char}`)
  }
  const out: string[] = []
  let positionals = 0
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] as string
    if (token === '--') {
      out.push(...argv.slice(index))
      break
    }
    if (token.startsWith(`--${flag}=`)) {
      out.push(`--${flag}`, `--${valueFlag}`, token.slice(flag.length + 3))
      continue
    }
    const next = argv[index + 1]
    if (token === `--${flag}` && positionals >= args && next !== undefined && !next.startsWith('-')) {
      out.push(token, `--${valueFlag}`, next)
      index++
      continue
    }
    out.push(token)
    if (takesValue.has(token) && next !== undefined) {
      out.push(next)
      index++
    } else if (!token.startsWith('-')) positionals++
  }
  return out
}
