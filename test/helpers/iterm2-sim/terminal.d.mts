export function renderScreen(raw: string): string
