/**
 * How a sent message looks once Claude Code reports it (claude-code-2.md §9, seen with 2.1.330):
 * a paste of 4+ lines or about 800+ characters reaches UserPromptSubmit as
 * `\n\n<pasted_content id="N">\n…\n</pasted_content id="N">\n`, a pasted tab as spaces, a CR as
 * LF. Slash commands fire no UserPromptSubmit at all.
 */

const PASTE_ENVELOPE = /\n*<pasted_content id="([^"]*)">\n?([\s\S]*?)\n?<\/pasted_content id="\1">\n?/g

/** The text with every paste envelope replaced by its content. */
export const unwrapPastes = (prompt: string): string => prompt.replace(PASTE_ENVELOPE, (_match, _id, content: string) => content)

/** Line ends as LF, each run of spaces and tabs as one space, no space at line ends or around the text. */
export function normalisePrompt(text: string): string {
  return text
    .replaceAll('\r\n', '\n')
    .replaceAll('\r', '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim()
}

/** Whether the prompt a hook reported is the text that was sent. */
export function promptMatches(received: string | null, sent: string): boolean {
  if (received === null) return false
  return normalisePrompt(unwrapPastes(received)) === normalisePrompt(sent)
}

/** `/clear`, `/compact keep the API notes`, `/cost`, `/exit`: a command to Claude Code, not chat text. */
export const isSlashCommand = (text: string): boolean => /^\/[A-Za-z][\w:-]*(?:\s|$)/.test(text)
