/**
 * The operations of the iTerm2 driver script (driver.ts), one JXA function each: list, write,
 * read, close, focus and create. Part of the same constant script; see driver.ts for its rules.
 */
export const DRIVER_OPERATIONS = String.raw`function opList(app) {
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
}`
