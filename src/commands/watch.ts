import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../cli/base-command.js'
import {flagFrom} from '../cli/schema-flags.js'
import {CcmcpError} from '../core/domain/errors.js'
import {operations} from '../core/pipeline/registry.js'

const interval = Flags.custom<number>({
  parse: async (raw) => {
    const seconds = Number(raw)
    if (!Number.isFinite(seconds) || seconds < 0.2 || seconds > 3600) {
      throw new CcmcpError('INVALID_INPUT', `--interval must be a number of seconds from 0.2 to 3600, not "${raw}".`, {hint: 'For example --interval 0.5 or --interval 2.'})
    }
    return seconds
  },
})

export default class Watch extends CcmcpCommand {
  static override summary = 'Watch every agent live and act on them (a terminal UI)'
  static override description = `Keys: ↑/↓ or j/k select · Enter focus the tab · s send a message · y/n allow/deny a waiting agent's permission prompt (y trusts at the trust dialog) · c clear · n new conversation · r restart a lost agent · d delete · a add an agent · / filter · q or Ctrl-C quit.
Statuses redraw as soon as the state changes; the terminal is checked once per --interval. The bell rings when an agent starts waiting, fails or stops (config notifyBell and notify*).
Without a terminal on stdout it prints one table of agents and each task board that has tasks (or, with --json, the snapshot) and exits; without one on stdin it only watches. With --json --follow it prints one JSON line per change until stopped.`
  static override examples = ['<%= config.bin %> watch', '<%= config.bin %> watch --session api --interval 2', '<%= config.bin %> watch | cat']
  static override flags = {
    session: flagFrom(operations.get_overview.input, 'session', {char: 's'}),
    interval: interval({char: 'i', default: 1, description: 'Seconds between checks against the terminal (0.2–3600)'}),
    follow: Flags.boolean({description: 'With --json: one JSON line per change (and per --interval check) until stopped; what another ccmcp reads over ssh', dependsOn: ['json']}),
  }

  async run() {
    const {flags} = await this.parse(Watch)
    const [{core, deps}, {surfaceCaller}] = await Promise.all([this.runtime(undefined, {remoteStreams: !flags.follow && !this.jsonEnabled()}), import('../core/pipeline/caller.js')])
    const caller = surfaceCaller(this.io.env)
    const run: typeof core.run = (name, input) => core.run(name, input, {caller})
    // Read once up front: a wrong --session fails here with its exit code, and the first frame is complete.
    const overview = await run('get_overview', {session: flags.session, tasks: true})
    if (flags.follow) {
      const {followOverview} = await import('../cli/follow.js')
      await followOverview({
        run: (live) => run('get_overview', {session: flags.session, live}),
        first: overview,
        onStateChange: (listener) => deps.ports.state.watch(listener),
        intervalMs: Math.round(flags.interval * 1000),
        stdout: this.io.stdout,
      })
      return this.exit(0)
    }
    if (this.jsonEnabled() || !this.io.stdout.isTTY) {
      const {plainOverview} = await import('../tui/plain.js')
      if (!this.jsonEnabled()) this.log(plainOverview(overview, new Date(), this.color))
      return overview
    }
    const [{runInTerminal}, {BELL, createBellTracker}] = await Promise.all([import('../tui/start.js'), import('../core/notify/bell.js')])
    const bell = createBellTracker()
    const ring = async () => {
      const [state, config] = await Promise.all([deps.ports.state.read(), deps.ports.config.read()])
      if (bell(state.agents, config)) process.stdout.write(BELL)
    }
    await ring().catch(() => undefined)
    const stopBell = deps.ports.state.watch(() => void ring().catch(() => undefined))
    await runInTerminal(
      {
        core: {run, onStateChange: (listener) => deps.ports.state.watch(listener)},
        session: flags.session,
        intervalMs: Math.round(flags.interval * 1000),
        initial: overview,
        color: !this.io.env.NO_COLOR,
      },
      {stdin: process.stdin, stdout: process.stdout},
    ).finally(stopBell)
  }
}
