// The chiptrail explorer page: reads the scenario from /api/scenario, turns its policies into
// switches and sliders, runs comparisons through /api/runs and draws the results with
// Vega-Lite. Everything it loads comes from the chiptrail server itself.
'use strict';

// The numbers the page leads with (the glossary's headline rows, `chiptrail metrics`);
// `better` says which way is good news. A metric the scenario does not report (remote access
// without flows of leases) gets no card.
const HEADLINE = [
  { metric: 'h100e_delivered_restricted_per_year', title: 'H100e reaching restricted users per year', format: 'count', better: 'down' },
  { metric: 'share_h100e_denied', title: 'Share of diverted compute denied', format: 'percent', better: 'up' },
  { metric: 'share_lots_flagged', title: 'Diverted lots flagged by some measure', format: 'percent', better: 'up' },
  { metric: 'enforcement_cost_usd_per_year', title: 'Enforcement cost per year', format: 'usd', better: 'none' },
  { metric: 'h100e_in_service_restricted', title: 'H100e in service with restricted users at the horizon', format: 'count', better: 'down' },
  { metric: 'h100e_years_remote_used_per_year', title: 'Rented H100e in use by restricted users', format: 'count', better: 'down' },
];
const POLL_MS = 200;

const state = {
  scenario: null,
  settings: new Map(),   // path -> value, only where it differs from the scenario as loaded
  disabled: new Set(),   // policy names switched off
  run: null,             // id of the run in progress or last finished
  results: null,
};

const $ = (id) => document.getElementById(id);

function showMessage(text) {
  const m = $('message');
  m.textContent = text;
  m.hidden = !text;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('Content-Type') || '';
  const payload = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error(payload && payload.error ? payload.error : `${method} ${path}: HTTP ${response.status}`);
  }
  return { payload, response };
}

function edits() {
  return { settings: Object.fromEntries(state.settings), disabled_policies: [...state.disabled] };
}

// ---- numbers ---------------------------------------------------------------------------------

function formatValue(x, format) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (format === 'percent') return `${(100 * x).toFixed(1)}%`;
  if (format === 'usd') return `$${Math.round(x).toLocaleString('en-US')}`;
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(3)).toLocaleString('en-US');
}

function formatDelta(x, format) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const sign = x > 0 ? '+' : x < 0 ? '−' : '±';
  if (format === 'percent') return `${sign}${Math.abs(100 * x).toFixed(1)} pts`;
  return sign + formatValue(Math.abs(x), format);
}

function formatControl(control, value) {
  if (control.switch) return value ? 'on' : 'off';
  return control.max <= 1 ? value.toFixed(2) : value.toFixed(1);
}

// ---- policies --------------------------------------------------------------------------------

function renderPolicies() {
  const root = $('policies');
  root.replaceChildren();
  for (const policy of state.scenario.policies) {
    const card = document.createElement('div');
    card.className = 'policy';
    card.dataset.policy = policy.name;
    const head = document.createElement('div');
    head.className = 'policy-head';
    const title = document.createElement('div');
    title.innerHTML = '<strong></strong> <span class="kind"></span>';
    title.querySelector('strong').textContent = policy.name;
    title.querySelector('.kind').textContent = policy.kind.replaceAll('_', ' ');
    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.checked = !state.disabled.has(policy.name);
    toggle.dataset.policySwitch = policy.name;
    toggle.setAttribute('aria-label', `${policy.name} in force`);
    toggle.addEventListener('change', () => {
      if (toggle.checked) state.disabled.delete(policy.name); else state.disabled.add(policy.name);
      card.classList.toggle('off', !toggle.checked);
      renderMap();
    });
    head.append(title, toggle);
    card.append(head);
    card.classList.toggle('off', state.disabled.has(policy.name));
    for (const control of policy.controls) card.append(renderControl(control));
    root.append(card);
  }
}

function renderControl(control) {
  const row = document.createElement('div');
  row.className = 'control';
  const id = `control-${control.path.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = control.label;
  const input = document.createElement('input');
  input.id = id;
  input.dataset.path = control.path;
  if (control.switch) {
    input.type = 'checkbox';
  } else {
    input.type = 'range';
    input.min = control.min;
    input.max = control.max;
    input.step = control.step;
  }
  const output = document.createElement('output');
  output.htmlFor = id;
  const current = () => (state.settings.has(control.path) ? state.settings.get(control.path) : control.value);
  const show = () => {
    const value = current();
    if (control.switch) input.checked = value !== 0; else input.value = value;
    output.textContent = formatControl(control, value);
    row.classList.toggle('changed', state.settings.has(control.path));
  };
  input.addEventListener('input', () => {
    const value = control.switch ? (input.checked ? 1 : 0) : Number(input.value);
    if (value === control.value) state.settings.delete(control.path);
    else state.settings.set(control.path, value);
    show();
  });
  show();
  row.append(label, input, output);
  return row;
}

// ---- map -------------------------------------------------------------------------------------

// Nodes more than 45 degrees from the median are drawn off the map (a US vendor would otherwise
// shrink South-East Asia to a dot) and listed under it.
function mapFrame(nodes) {
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const mlon = median(nodes.map((n) => n.longitude));
  const mlat = median(nodes.map((n) => n.latitude));
  const near = nodes.filter((n) => Math.abs(n.longitude - mlon) <= 45 && Math.abs(n.latitude - mlat) <= 45);
  const lons = near.map((n) => n.longitude), lats = near.map((n) => n.latitude);
  const [lon0, lon1, lat0, lat1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const mercY = (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return { far: nodes.filter((n) => !near.includes(n)), center: [(lon0 + lon1) / 2, (lat0 + lat1) / 2],
           spanX: Math.max((lon1 - lon0) * Math.PI / 180, 0.05), spanY: Math.max(mercY(lat1) - mercY(lat0), 0.05) };
}

function watchers(node) {
  return state.scenario.policies
    .filter((p) => !state.disabled.has(p.name))
    .filter((p) => p.scope.nodes.includes(node.id) || p.scope.countries.includes(node.country))
    .map((p) => p.name);
}

function renderMap() {
  const { nodes, edges } = state.scenario;
  if (nodes.length === 0) return;
  const width = Math.max(420, $('map').clientWidth - 40), height = 360;
  const frame = mapFrame(nodes);
  const scale = 0.8 * Math.min(width / frame.spanX, height / frame.spanY);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const points = nodes.map((n) => ({ ...n, kind: n.kind.toLowerCase().replaceAll('_', ' '),
                                     watched_by: watchers(n).join(', ') || 'none',
                                     watched: watchers(n).length > 0 }));
  const lines = edges.filter((e) => byId.has(e.from) && byId.has(e.to)).map((e) => ({
    lon1: byId.get(e.from).longitude, lat1: byId.get(e.from).latitude,
    lon2: byId.get(e.to).longitude, lat2: byId.get(e.to).latitude,
    mode: e.mode.toLowerCase().replaceAll('_', ' '), route: `${e.from} → ${e.to}` }));
  const lonlat = { longitude: { field: 'longitude', type: 'quantitative' }, latitude: { field: 'latitude', type: 'quantitative' } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width, height,
    projection: { type: 'mercator', center: frame.center, scale, translate: [width / 2, height / 2] },
    layer: [
      { data: { url: 'vendor/countries-50m.json', format: { type: 'topojson', feature: 'countries' } },
        mark: { type: 'geoshape', fill: '#eceff3', stroke: '#c3c9d1', strokeWidth: 0.5, clip: true } },
      { data: { values: lines },
        mark: { type: 'rule', strokeWidth: 1.4, opacity: 0.6, clip: true },
        encoding: { longitude: { field: 'lon1', type: 'quantitative' }, latitude: { field: 'lat1', type: 'quantitative' },
                    longitude2: { field: 'lon2' }, latitude2: { field: 'lat2' },
                    strokeDash: { field: 'mode', type: 'nominal', title: 'transport' },
                    tooltip: [{ field: 'route' }, { field: 'mode' }] } },
      { data: { values: points },
        mark: { type: 'point', filled: true, size: 110, clip: true },
        encoding: { ...lonlat,
                    color: { field: 'kind', type: 'nominal', title: 'node', scale: { scheme: 'tableau10' } },
                    stroke: { condition: { test: 'datum.watched', value: '#1d2430' }, value: null },
                    strokeWidth: { value: 2 },
                    tooltip: [{ field: 'name' }, { field: 'kind' }, { field: 'country' },
                              { field: 'watched_by', title: 'policies in force here' }] } },
      { data: { values: points },
        mark: { type: 'text', dy: -11, fontSize: 10, clip: true },
        encoding: { ...lonlat, text: { field: 'id' } } },
    ],
    config: { view: { stroke: null } },
  };
  vegaEmbed('#map', spec, { actions: false, renderer: 'svg' }).catch((e) => showMessage(`map: ${e.message}`));
  $('off-map').textContent = frame.far.length === 0 ? '' :
    `Off the map: ${frame.far.map((n) => `${n.name || n.id} (${n.country})`).join('; ')}. ` +
    'Outlined nodes have a policy in force.';
}

// ---- runs ------------------------------------------------------------------------------------

function setRunning(running) {
  $('run').disabled = running;
  $('cancel').disabled = !running;
  document.body.dataset.state = running ? 'running' : (state.results ? 'done' : 'ready');
}

async function startRun() {
  showMessage('');
  const body = { edits: edits(), replications: Number($('replications').value) };
  if ($('seed').value !== '') body.seed = Number($('seed').value);
  try {
    const { payload } = await api('POST', 'api/runs', body);
    state.run = payload.id;
    setRunning(true);
    poll();
  } catch (e) {
    showMessage(e.message);
  }
}

async function poll() {
  const id = state.run;
  try {
    const { payload: status } = await api('GET', `api/runs/${id}`);
    if (id !== state.run) return;
    $('progress').value = status.total > 0 ? status.completed / status.total : 0;
    $('progress-text').textContent =
      `${status.completed} / ${status.total} replications, ${status.elapsed_seconds.toFixed(1)} s` +
      (status.state === 'running' ? '' : ` (${status.state})`);
    if (status.state === 'running') {
      setTimeout(poll, POLL_MS);
      return;
    }
    if (status.state === 'done') {
      const { payload: results } = await api('GET', `api/runs/${id}/results`);
      state.results = results;
      renderResults();
    } else if (status.state === 'failed') {
      showMessage(`The run failed: ${status.error}`);
    }
    setRunning(false);
  } catch (e) {
    showMessage(e.message);
    setRunning(false);
  }
}

async function cancelRun() {
  if (state.run === null) return;
  try {
    await api('DELETE', `api/runs/${state.run}`);
  } catch (e) {
    showMessage(e.message);
  }
}

// ---- results ---------------------------------------------------------------------------------

function metricRow(name) {
  return state.results.metrics.find((m) => m.metric === name);
}

function renderResults() {
  const r = state.results;
  $('results-caption').textContent =
    `run ${r.id}: ${r.replications} replications, seed ${r.seed}, ${Math.round(100 * r.ci_level)}% intervals`;
  const link = $('download-results');
  link.href = `api/runs/${r.id}/results.csv`;
  link.classList.remove('disabled');
  link.setAttribute('aria-disabled', 'false');

  const cards = $('headline');
  cards.replaceChildren();
  const bars = [];
  for (const h of HEADLINE) {
    const m = metricRow(h.metric);
    if (!m) continue;
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.metric = h.metric;
    const d = m.difference;
    const significant = d.ci_low != null && d.ci_high != null && (d.ci_low > 0 || d.ci_high < 0);
    const good = h.better === 'none' || !significant ? 'same' :
      ((d.mean > 0) === (h.better === 'up') ? 'up' : 'down');
    card.innerHTML = `<h3></h3><div class="values">
        <div><div class="ci">as loaded</div><div class="big" data-variant="as_loaded"></div><div class="ci" data-ci="as_loaded"></div></div>
        <div><div class="ci">edited</div><div class="big" data-variant="edited"></div><div class="ci" data-ci="edited"></div></div>
      </div><div class="delta"></div>`;
    card.querySelector('h3').textContent = h.title;
    for (const variant of ['as_loaded', 'edited']) {
      const s = m[variant];
      card.querySelector(`[data-variant="${variant}"]`).textContent = formatValue(s.mean, h.format);
      card.querySelector(`[data-ci="${variant}"]`).textContent =
        `[${formatValue(s.ci_low, h.format)}, ${formatValue(s.ci_high, h.format)}]`;
      bars.push({ metric: h.title, variant: variant === 'edited' ? 'edited' : 'as loaded',
                  mean: s.mean, low: s.ci_low, high: s.ci_high });
    }
    const delta = card.querySelector('.delta');
    delta.className = `delta ${good}`;
    delta.textContent = `difference ${formatDelta(d.mean, h.format)} ` +
      `[${formatDelta(d.ci_low, h.format)}, ${formatDelta(d.ci_high, h.format)}]` +
      (significant ? '' : ' — not distinguishable from no change');
    cards.append(card);
  }
  renderChart(bars);
  renderTable();
}

function renderChart(bars) {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values: bars },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: HEADLINE.map((h) => h.title) } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 150, height: 150,
      layer: [
        { mark: { type: 'bar', width: 36 },
          encoding: { x: { field: 'variant', type: 'nominal', title: null, sort: ['as loaded', 'edited'] },
                      y: { field: 'mean', type: 'quantitative', title: null },
                      color: { field: 'variant', type: 'nominal', legend: null,
                               scale: { domain: ['as loaded', 'edited'], range: ['#9aa5b1', '#2458b3'] } },
                      tooltip: [{ field: 'variant' }, { field: 'mean', format: ',.4~g' },
                                { field: 'low', format: ',.4~g', title: 'CI low' },
                                { field: 'high', format: ',.4~g', title: 'CI high' }] } },
        { mark: { type: 'errorbar', ticks: true, color: '#1d2430' },
          encoding: { x: { field: 'variant', type: 'nominal', sort: ['as loaded', 'edited'] },
                      y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      ],
    },
    config: { view: { stroke: null } },
  };
  vegaEmbed('#chart', spec, { actions: false, renderer: 'svg' }).catch((e) => showMessage(`chart: ${e.message}`));
}

function renderTable() {
  const table = $('results-table');
  const body = table.querySelector('tbody');
  body.replaceChildren();
  const interval = (s) => `${formatValue(s.mean)} [${formatValue(s.ci_low)}, ${formatValue(s.ci_high)}]`;
  for (const m of state.results.metrics) {
    const tr = document.createElement('tr');
    tr.dataset.metric = m.metric;
    // What the metric counts (the glossary) on hover of its name.
    if (m.description) tr.title = `${m.rung}, ${m.unit}: ${m.description}`;
    for (const text of [m.metric, interval(m.as_loaded), interval(m.edited), interval(m.difference)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  table.hidden = false;
}

// ---- downloads -------------------------------------------------------------------------------

async function downloadScenario() {
  showMessage('');
  try {
    const response = await fetch('api/scenario/edited', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(edits()) });
    if (!response.ok) throw new Error((await response.json()).error);
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name ? name[1] : 'edited.textproto';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    showMessage(e.message);
  }
}

// ---- start -----------------------------------------------------------------------------------

async function main() {
  try {
    const { payload } = await api('GET', 'api/scenario');
    state.scenario = payload;
  } catch (e) {
    showMessage(`Cannot read the scenario: ${e.message}`);
    return;
  }
  const s = state.scenario;
  $('scenario-name').textContent = `— ${s.name || s.path}`;
  $('scenario-description').textContent = s.description;
  $('replications').value = Math.min(Math.max(s.replications || 100, 2), s.max_replications);
  $('replications').max = s.max_replications;
  $('seed').placeholder = String(s.seed);
  renderPolicies();
  renderMap();
  $('run').addEventListener('click', startRun);
  $('cancel').addEventListener('click', cancelRun);
  $('reset').addEventListener('click', () => {
    state.settings.clear();
    state.disabled.clear();
    renderPolicies();
    renderMap();
  });
  $('download-scenario').addEventListener('click', downloadScenario);
  // Redraw the map when the page gets narrower or wider (not taller: a full-page screenshot or a
  // growing results table must not blank it mid-redraw).
  let mapWidth = $('map').clientWidth;
  let redraw = null;
  window.addEventListener('resize', () => {
    clearTimeout(redraw);
    redraw = setTimeout(() => {
      if ($('map').clientWidth === mapWidth) return;
      mapWidth = $('map').clientWidth;
      renderMap();
    }, 150);
  });
  setRunning(false);
}

main();
