// Usage charts with Chart.js from its WebJar (decision 37). The page's Content-Security-Policy allows no import map
// and Chart.js's ES build imports a bare specifier, so its UMD build is added as a same-origin <script> on first
// use. Maven fills in the version from the pom (chart.js.version); no template literals here, as Maven's filter
// would read them as properties. Every chart has a table with the same numbers for screen readers beside it.
import { h, Component, createRef } from './vendor.js';
import { loadScript, dataTable } from './tokens-common.js';

const CHART_JS = '/webjars/chart.js/${chart.js.version}/dist/chart.umd.js';

function cssVariable(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * props: id, title, summary (one sentence: the chart's gist), kind ('bar' | 'line'), labels, values (numbers),
 * valueLabel, table ({columns, rows}: the numbers, for screen readers), empty (text when there is nothing).
 */
export class UsageChart extends Component {
  canvas = createRef();
  chart = null;

  componentDidMount() {
    this.draw();
  }

  componentDidUpdate() {
    this.draw();
  }

  componentWillUnmount() {
    if (this.chart) this.chart.destroy();
    this.chart = null;
  }

  draw = async () => {
    if (!this.props.values.length || !this.canvas.current) return;
    let Chart;
    try {
      Chart = await loadScript(CHART_JS, 'Chart');
    } catch (error) {
      if (this.props.onError) this.props.onError(error);
      return;
    }
    if (!this.canvas.current) return;
    const data = { labels: this.props.labels, datasets: [{
      label: this.props.valueLabel,
      data: this.props.values,
      backgroundColor: cssVariable('--accent'),
      borderColor: cssVariable('--accent'),
      fill: false,
    }] };
    if (this.chart && this.chart.canvas === this.canvas.current) {
      this.chart.data = data;
      this.chart.update('none');
      return;
    }
    if (this.chart) this.chart.destroy();
    this.chart = new Chart(this.canvas.current, {
      type: this.props.kind || 'bar',
      data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { color: cssVariable('--ink') } }, x: { ticks: { color: cssVariable('--ink') } } },
      },
    });
  };

  render({ id, title, summary, values, table, empty }) {
    return h('figure', { class: 'usage-chart', 'aria-labelledby': id + '-title', 'data-chart': id },
      h('h3', { id: id + '-title' }, title),
      values.length
        ? h('div', { class: 'chart-box' },
          h('canvas', { ref: this.canvas, role: 'img', 'aria-label': summary }))
        : h('p', { class: 'empty' }, empty),
      h('figcaption', { class: 'hint' }, summary),
      dataTable({ caption: title, columns: table.columns, rows: table.rows, hidden: true }));
  }
}
