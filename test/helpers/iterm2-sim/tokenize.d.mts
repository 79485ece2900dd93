export class ParameterPrompt extends Error {}
export function componentsInShellCommand(command: string, home: string): string[]
