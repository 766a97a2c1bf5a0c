// Makes the process that imports it (or is started with `node --import <this file>`) end when its
// parent does, however the parent ends: a signal it handles, SIGKILL, a closed terminal. It watches
// two things, because neither alone covers every case: the IPC channel, when there is one, closes the
// moment the parent dies; and the parent pid, polled, changes (the process is re-parented) when the
// parent is gone, channel or not. The timer is unref'd: it never keeps a process alive on its own.
// Plain JavaScript, so it also loads into cognito-local.
import process from 'node:process';
import { setInterval } from 'node:timers';

const POLL_MS = 250;
const parentAtStart = process.ppid;

function leave() {
  // The parent is gone: nobody is left to stop this process or read its output.
  process.exit(0);
}

if (typeof process.send === 'function') {
  process.once('disconnect', leave);
}
setInterval(() => {
  if (process.ppid !== parentAtStart) leave();
}, POLL_MS).unref();
