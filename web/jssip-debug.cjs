// The dialpad's stand-in for the `debug` package, which JsSIP logs through (with its `ms` dependency, ~6 KB of the
// dialpad's bundle for logs nobody sees by default). It keeps the part that matters: a JsSIP logger prints only
// when `localStorage.debug` names it, as with `debug` itself (e.g. `localStorage.debug = 'JsSIP:*'`, then reload),
// through the `log` function JsSIP gives each logger. web/build.ts aliases `debug` to this file.
'use strict';

function patterns() {
  let setting = '';
  try {
    setting = globalThis.localStorage?.getItem('debug') ?? '';
  } catch {
    // storage blocked: nothing enabled
  }
  return setting
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`));
}

function createDebug(namespace) {
  const logger = (...args) => {
    if (logger.enabled) logger.log(namespace, ...args);
  };
  logger.namespace = namespace;
  logger.enabled = patterns().some((pattern) => pattern.test(namespace));
  logger.log = console.debug.bind(console);
  return logger;
}

createDebug.default = createDebug;
createDebug.enable = (namespaces) => {
  try {
    globalThis.localStorage?.setItem('debug', namespaces);
  } catch {
    // storage blocked: nothing to remember
  }
};
createDebug.disable = () => createDebug.enable('');

module.exports = createDebug;
