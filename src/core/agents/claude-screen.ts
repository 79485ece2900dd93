/**
 * What Claude Code's screen says, for the few things no hook reports: the workspace-trust dialog,
 * when the prompt takes input just after SessionStart, and whether a message still sits unsent in
 * the prompt box. Observed with Claude Code 2.1.330 (test/claude/fixtures/2.1.330); hooks stay the
 * primary signal, so a wording change here degrades to slower delivery, never a wrong status.
 */
export const CLAUDE_SCREEN = {
  /** Footer once the prompt accepts input, in every permission mode. */
  ready: /shift\+tab to cycle|\? for shortcuts/,
  /** Footer while a turn runs. */
  busy: /esc to interrupt/,
  /** Workspace trust dialog; its default choice is "No, exit", so a blind Enter would quit. */
  trust: /Quick safety check|Is this a project you created or one you trust|Yes, I trust this folder|Do you trust the files in this folder/i,
  /** Tool permission dialog. */
  permission: /Do you want to proceed\?/,
} as const

/**
 * Whether the prompt box still holds `text` unsent. The box is the text between the last two
 * full-width "─" rules, its first line "❯" + a (no-break) space + text. Submitted prompts above the
 * box also start with "❯", and a dialog replaces the box, so looking only inside the rules keeps a
 * second Enter away from dialogs.
 */
export function promptBoxHolds(screen: string, text: string): boolean {
  const lines = screen.split('\n')
  const rules = lines.flatMap((line, index) => (/^─{20,}$/.test(line.trim()) ? [index] : []))
  const [top, bottom] = rules.slice(-2)
  if (top === undefined || bottom === undefined) return false
  const first = lines.slice(top + 1, bottom).find((line) => line.trim() !== '')
  const head = (text.split('\n')[0] ?? '').slice(0, 40).trim()
  if (first === undefined || !/^❯\s/.test(first)) return false
  const shown = first.slice(1).trimStart()
  // A long paste is shown collapsed as "[Pasted text #1 +200 lines]".
  return /^\[Pasted text #\d+/.test(shown) || (head !== '' && shown.startsWith(head.replaceAll('\t', '')))
}
