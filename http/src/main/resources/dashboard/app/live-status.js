// The header's live indicator: whether this tab's live stream (live.js) is open. Subscribing here is what keeps the
// stream open on every page, so a page that mounts later finds it already live and misses nothing in between.
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { liveState, onLiveState, subscribe } from './live.js';

export class LiveStatus extends Component {
  state = { live: liveState() };

  componentDidMount() {
    this.stopWatching = onLiveState((live) => this.setState({ live }));
    this.unsubscribe = subscribe(() => {});
    this.setState({ live: liveState() });
  }

  componentWillUnmount() {
    this.stopWatching();
    this.unsubscribe();
  }

  render(props, { live }) {
    const text = t(`live.status.${live}`);
    return h('p', {
      class: `live-status is-${live}`,
      role: 'status',
      'aria-live': 'polite',
      title: t('live.status.label', { state: text }),
    }, text);
  }
}
