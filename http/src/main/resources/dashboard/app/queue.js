// The queue page (issue 8): not built yet.
import { h } from './vendor.js';
import { Placeholder } from './placeholder.js';

export function Queue(props) {
  return h(Placeholder, props);
}
