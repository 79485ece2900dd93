/**
 * How the terminal's rows are shared: header, list, preview, footer. The total stays below the
 * terminal height (Ink redraws the whole screen once its output reaches the last row), and on a
 * small terminal the optional parts go first: preview, then key help, then the counts line.
 */

export interface Layout {
  list: number
  /** Rows of the preview including its title row; 0 = hidden. */
  preview: number
  /** Rows of the message / prompt / input area. */
  body: number
  counts: boolean
  help: boolean
}

const MIN_LIST_WITH_PREVIEW = 6
const MAX_PREVIEW = 14

export function planLayout(rows: number, wantedBody: number): Layout {
  const usable = Math.max(2, rows - 1)
  let rest = usable - 1 - wantedBody - 2
  let help = true
  let counts = true
  if (rest < 1) {
    help = false
    rest++
  }
  if (rest < 1) {
    counts = false
    rest++
  }
  let body = wantedBody
  if (rest < 1) {
    body = Math.max(0, body + rest - 1)
    rest = 1
  }
  const preview = rest >= MIN_LIST_WITH_PREVIEW + 8 ? Math.min(MAX_PREVIEW, Math.floor(rest * 0.4)) : 0
  return {list: rest - preview, preview, body, counts, help}
}

/** First line to show so that `selected` is visible, a third from the top once the list scrolls. */
export function scrollStart(total: number, height: number, selected: number): number {
  if (total <= height || selected < 0) return 0
  return Math.min(Math.max(selected - Math.floor(height / 3), 0), total - height)
}
