// The dashboard's one front-end library, Preact, from its WebJar (decision 33). Maven fills in the version from
// the pom (preact.version), so this is the only file that names it. Preact's core module imports nothing else,
// so no import map (an inline script the Content-Security-Policy would have to allow) is needed.
export { h, render, Component, Fragment, createRef } from '/webjars/preact/${preact.version}/dist/preact.module.js';
