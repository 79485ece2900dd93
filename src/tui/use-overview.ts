/**
 * The live data of the view: the overview from core, the selected agent's screen, and when each
 * agent entered its status. Redraws on state-store changes and checks the terminal once per interval.
 */
import {useCallback, useEffect, useRef, useState} from 'react'

import {type CcmcpError, toCcmcpError} from '../core/domain/errors.js'
import {type RefreshKind, type RefreshRequest, createRefresher} from './refresher.js'
import type {Overview, ScreenRead, WatchCore} from './types.js'
import {type SinceMap, trackSince, viewSignature} from './view-model.js'

export interface OverviewData {
  overview: Overview | null
  screen: ScreenRead | null
  /** The last refresh failed (the data shown is older). */
  error: CcmcpError | null
  /** When the data was read (ages are relative to it). */
  readAt: number
  since: SinceMap
}

export interface PreviewWish {
  /** Agent whose screen to read, or null. */
  agent: string | null
  lines: number
}

export interface OverviewOptions {
  session?: string
  intervalMs: number
  initial?: Overview
  /** Read at request time, so the newest selection wins. */
  preview: {readonly current: PreviewWish}
}

export function useOverview(core: WatchCore, options: OverviewOptions): OverviewData & {refresh(kind: RefreshKind): void} {
  const {session, intervalMs, initial, preview} = options
  const [data, setData] = useState<OverviewData>(() => {
    const readAt = Date.now()
    return {overview: initial ?? null, screen: null, error: null, readAt, since: trackSince(new Map(), initial?.agents ?? [], readAt)}
  })
  const since = useRef(data.since)
  const latest = useRef({data, signature: viewSignature(data)})
  const refresher = useRef<ReturnType<typeof createRefresher> | null>(null)

  useEffect(() => {
    let alive = true
    // An idle tick usually changes nothing on screen; skipping it skips React and Ink entirely.
    const show = (next: OverviewData) => {
      const signature = viewSignature(next)
      if (signature === latest.current.signature) return
      latest.current = {data: next, signature}
      setData(next)
    }
    const fetch = async (request: RefreshRequest) => {
      const wish = preview.current
      const screen = request.screen && wish.agent !== null && wish.lines > 0 ? {agent: wish.agent, lines: wish.lines} : undefined
      try {
        const overview = await core.run('get_overview', {session, live: request.live, screen, tasks: true})
        if (!alive) return
        const readAt = Date.now()
        since.current = trackSince(since.current, overview.agents, readAt)
        show({overview, screen: request.screen ? overview.screen : latest.current.data.screen, error: null, readAt, since: since.current})
      } catch (error) {
        if (alive) show({...latest.current.data, error: toCcmcpError(error)})
      }
    }
    const current = createRefresher(intervalMs, fetch)
    refresher.current = current
    const unsubscribe = core.onStateChange(() => current.request('state'))
    current.start({immediate: initial === undefined})
    return () => {
      alive = false
      current.stop()
      unsubscribe()
    }
    // `initial` only seeds the first render and `preview` is a ref: neither restarts the refresher.
  }, [core, session, intervalMs])

  const refresh = useCallback((kind: RefreshKind) => refresher.current?.request(kind), [])
  return {...data, refresh}
}
