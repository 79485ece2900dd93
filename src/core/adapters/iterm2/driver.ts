/**
 * The ONE JXA script that drives iTerm2. It is a constant: osascript reads it from stdin, identical
 * for every call, and every value (text, titles, ids) arrives as ASCII JSON in argv[0]. Nothing it
 * receives is ever evaluated. It answers with ASCII JSON `{protocol, ok, result | error}` returned
 * from run() (console.log inside run() may print nothing on recent macOS, iterm2.md P17).
 *
 * Rules it follows (iterm2.md): address iTerm2 by bundle id; identify sessions by GUID, windows by
 * id, never by a remembered index; fetch one window's [tab][pane] id matrix in one event; never
 * launch iTerm2 except to create a tab; retry once when an object vanishes between two events.
 * Written in ES5 style so any JavaScriptCore that runs JXA accepts it.
 */
export const DRIVER_SCRIPT = String.raw`'use strict';
var PROTOCOL = 1;
var BUNDLE_ID = 'com.googlecode.iterm2';
var AGENT_TAG = 'user.ccmcpAgent';

function ascii(value) {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, function (c) {
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

function errorNumber(e) {
  return e && typeof e.errorNumber === 'number' ? e.errorNumber : null;
}

function errorMessage(e) {
  return String(e && e.message ? e.message : e);
}

// The object vanished between two events (a tab closed meanwhile): worth one more look.
function isGone(e) {
  var n = errorNumber(e);
  return n === -1728 || n === -1719;
}

// Errors that no per-window fallback can get around: permission, iTerm2 gone.
function isFatal(e) {
  var n = errorNumber(e);
  return n === -1743 || n === -10004 || n === -600 || n === -609;
}

function isMatrix(value) {
  if (!value || typeof value.length !== 'number') return false;
  for (var i = 0; i < value.length; i++) {
    if (!value[i] || typeof value[i] === 'string' || typeof value[i].length !== 'number') return false;
  }
  return true;
}

// [tab][pane] session ids of one window: one event, or one per tab where the nested getter
// comes back flat.
function sessionMatrix(win) {
  var matrix = win.tabs.sessions.id();
  if (isMatrix(matrix)) return matrix;
  var out = [];
  var count = win.tabs.length;
  for (var t = 0; t < count; t++) out.push(win.tabs[t].sessions.id());
  return out;
}

// Calls visit(windowId, tabIndex, paneCount, sessionId) for every session, window by window;
// a window that cannot be read (hotkey window, closing) is skipped. Stops when visit returns true.
function eachSession(app, visit) {
  var windowIds = app.windows.id() || [];
  for (var i = 0; i < windowIds.length; i++) {
    var matrix;
    try {
      matrix = sessionMatrix(app.windows.byId(windowIds[i]));
    } catch (e) {
      if (isFatal(e)) throw e;
      continue;
    }
    for (var t = 0; t < matrix.length; t++) {
      var row = matrix[t] || [];
      for (var p = 0; p < row.length; p++) {
        if (visit(windowIds[i], t, row.length, String(row[p])) === true) return;
      }
    }
  }
}

function locate(app, sessionId) {
  var found = null;
  eachSession(app, function (windowId, tabIndex, panes, id) {
    if (id !== sessionId) return false;
    found = {windowId: windowId, tabIndex: tabIndex, panes: panes};
    return true;
  });
  if (!found) return null;
  var win = app.windows.byId(found.windowId);
  var tab = win.tabs[found.tabIndex];
  return {win: win, windowId: found.windowId, tab: tab, session: tab.sessions.byId(sessionId), panes: found.panes};
}

// Runs fn on the located session; if it vanished mid-way, locates it again once. fn keeps its
// own progress, so a retry never repeats what already happened.
function withSession(app, sessionId, fn) {
  if (!app.running()) return {found: false, running: false};
  for (var attempt = 0; ; attempt++) {
    var where = locate(app, sessionId);
    if (!where) return {found: false, running: true};
    try {
      return fn(where);
    } catch (e) {
      if (!isGone(e) || attempt > 0) throw e;
    }
  }
}

function opList(app) {
  if (!app.running()) return {running: false, sessions: []};
  var sessions = [];
  eachSession(app, function (windowId, tabIndex, panes, id) {
    sessions.push({id: id, windowId: windowId, tabIndex: tabIndex, panes: panes});
    return false;
  });
  return {running: true, sessions: sessions};
}

function opWrite(app, request) {
  var next = 0;
  var entered = false;
  return withSession(app, request.sessionId, function (where) {
    for (; next < request.chunks.length; next++) where.session.write({text: request.chunks[next], newline: false});
    if (request.enter && !entered) {
      // Enter as its own keystroke after a pause: TUIs take an Enter that arrives with the text
      // (or right after a paste) as a newline, not a submit (iterm2.md P11).
      if (request.enterDelayMs > 0) delay(request.enterDelayMs / 1000);
      where.session.write({text: '\r', newline: false});
      entered = true;
    }
    return {found: true, running: true};
  });
}

function opRead(app, request) {
  return withSession(app, request.sessionId, function (where) {
    // text is scrollback + screen; only the last lines leave iTerm2.
    var lines = String(where.session.text() || '').replace(/\s+$/, '').split('\n');
    return {found: true, running: true, text: lines.slice(Math.max(0, lines.length - request.lines)).join('\n')};
  });
}

// Tabs have no id, only an index that shifts when tabs open or close: before acting on the
// whole tab, check (one event) that it still holds the session, so a shift never hits another tab.
function checkTab(where, sessionId) {
  var ids = where.tab.sessions.id() || [];
  for (var i = 0; i < ids.length; i++) if (String(ids[i]) === sessionId) return;
  var e = new Error('the tab moved');
  e.errorNumber = -1728;
  throw e;
}

function opClose(app, request) {
  var outcome = withSession(app, request.sessionId, function (where) {
    checkTab(where, request.sessionId);
    // Closing the tab never asks for confirmation; closing one pane of a split tab may.
    if (where.panes <= 1) where.tab.close();
    else where.session.close();
    return {found: true, running: true, closed: where.panes <= 1 ? 'tab' : 'session', gone: false};
  });
  if (!outcome.found) return outcome;
  for (var i = 0; i < 10; i++) {
    if (!app.running() || !locate(app, request.sessionId)) {
      outcome.gone = true;
      break;
    }
    delay(0.1);
  }
  return outcome;
}

function opFocus(app, request) {
  return withSession(app, request.sessionId, function (where) {
    try {
      if (where.win.miniaturized()) where.win.miniaturized = false;
    } catch (e) {
      if (isFatal(e)) throw e;
    }
    checkTab(where, request.sessionId);
    where.tab.select();
    where.session.select();
    where.win.select();
    app.activate();
    return {found: true, running: true};
  });
}

function countWindows(app) {
  try {
    return app.windows.length;
  } catch (e) {
    if (isFatal(e)) throw e;
    return 0;
  }
}

// Where a new tab goes: the window holding the group's (or the caller's) sessions, else the
// current window unless it is a hotkey window or has no tabs; null means a new window.
function pickWindow(app, near) {
  if (near.length > 0) {
    var windowOf = {};
    eachSession(app, function (windowId, tabIndex, panes, id) {
      if (near.indexOf(id) >= 0 && !windowOf.hasOwnProperty(id)) windowOf[id] = windowId;
      return false;
    });
    for (var i = 0; i < near.length; i++) {
      if (windowOf.hasOwnProperty(near[i])) return app.windows.byId(windowOf[near[i]]);
    }
  }
  try {
    var current = app.currentWindow();
    if (!current) return null;
    var hotkey = false;
    try {
      hotkey = current.isHotkeyWindow() === true;
    } catch (e) {
      if (isFatal(e)) throw e;
    }
    if (hotkey || current.tabs.length === 0) return null;
    return current;
  } catch (e) {
    if (isFatal(e)) throw e;
    return null;
  }
}

function opCreate(app, request) {
  var warnings = [];
  if (!app.running()) {
    if (!request.launch) return {created: false, running: false};
    app.launch();
    // A starting iTerm2 opens (or restores) its own window: wait for it rather than add a second.
    for (var i = 0; i < 50 && countWindows(app) === 0; i++) delay(0.1);
  }
  var win = pickWindow(app, request.near);
  var tab = null;
  var newWindow = false;
  if (win) {
    try {
      tab = win.createTabWithDefaultProfile({command: request.command});
    } catch (e) {
      if (isFatal(e)) throw e;
      warnings.push('no tab in the chosen window: ' + errorMessage(e));
    }
  }
  if (!tab) {
    // No usable window, or its layout is locked (createTab returns nothing).
    win = app.createWindowWithDefaultProfile({command: request.command});
    tab = win.tabs[0];
    newWindow = true;
  }
  var session = tab.currentSession();
  var sessionId = String(session.id());
  try {
    session.name = request.title;
  } catch (e) {
    if (isFatal(e)) throw e;
    warnings.push('title not set: ' + errorMessage(e));
  }
  try {
    session.setVariable({named: AGENT_TAG, to: request.agentKey});
  } catch (e) {
    if (isFatal(e)) throw e;
    warnings.push(AGENT_TAG + ' not set: ' + errorMessage(e));
  }
  var tty = null;
  var windowId = null;
  try {
    tty = String(session.tty());
    windowId = win.id();
  } catch (e) {
    if (isFatal(e)) throw e;
    warnings.push('tty or window id unknown: ' + errorMessage(e));
  }
  return {created: true, running: true, sessionId: sessionId, tty: tty, windowId: windowId, newWindow: newWindow, warnings: warnings};
}

var OPS = {create: opCreate, list: opList, write: opWrite, read: opRead, close: opClose, focus: opFocus};

function run(argv) {
  var request;
  try {
    request = JSON.parse(argv[0]);
  } catch (e) {
    return ascii({protocol: PROTOCOL, ok: false, error: {kind: 'bad-request', message: 'argv[0] is not JSON', number: null}});
  }
  if (!request || request.v !== PROTOCOL || !OPS.hasOwnProperty(request.op)) {
    return ascii({protocol: PROTOCOL, ok: false, error: {kind: 'bad-request', message: 'unknown protocol or operation', number: null}});
  }
  try {
    var app = Application(BUNDLE_ID);
    return ascii({protocol: PROTOCOL, ok: true, result: OPS[request.op](app, request)});
  } catch (e) {
    return ascii({protocol: PROTOCOL, ok: false, error: {kind: 'apple-event', message: errorMessage(e), number: errorNumber(e)}});
  }
}
`
