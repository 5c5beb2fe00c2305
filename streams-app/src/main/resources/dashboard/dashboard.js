// The dashboard page: everything comes from the JSON API under /api/ (docs/dashboard.md), live
// updates from the Server-Sent Events of /api/stream. Plain DOM code, no library, nothing fetched
// from outside the server, so the page works offline and behind a port-forward.
'use strict';

const $ = (id) => document.getElementById(id);
const FEED_SHOWN = 200;
const state = { seen: new Map(), classes: new Set(), reasons: new Set() };

function fmt(v, digits = 1, unit = '') {
  return v === null || v === undefined ? '–' : Number(v).toFixed(digits) + unit;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  children.forEach((c) => e.append(c));
  return e;
}

async function api(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}

function showSummary(s) {
  const m = s.model;
  if (m && m.name) {
    $('model-name').textContent = m.name;
    $('model-facts').textContent = `sha256 ${m.sha256Prefix}… · grid ${m.gridHeight}×${m.gridWidth} · ${m.variant}`
      + `, ${m.score}, prefix tokens ${m.keepPrefixTokens ? 'kept' : 'masked'}, residual ${m.residual}`
      + (m.cutNode ? `, cut at ${m.cutNode}` : '') + ` · ${m.executionProvider}`;
  }
  $('events-per-second').textContent = fmt(s.eventsPerSecond, 1);
  $('dlq-per-second').textContent = fmt(s.dlqPerSecond, 1);
  $('p50').textContent = fmt(s.p50Ms, 0, ' ms');
  $('p95').textContent = fmt(s.p95Ms, 0, ' ms');
  $('audited').textContent = s.audited;
  $('dead-letters').textContent = s.deadLetters;
  $('mispredictions').textContent = s.mispredictionRecords;
  $('accuracy').textContent = s.labelled === 0 ? '–'
    : `${fmt(100 * s.accuracyWindow, 1, '%')} / ${fmt(100 * s.accuracySinceStart, 1, '%')}`;
}

function filters() {
  return { cls: $('filter-class').value.trim(), wrong: $('filter-wrong').checked, reason: $('filter-reason').value };
}

function matches(e, f) {
  if (f.cls && e.predictedLabel !== f.cls && e.trueLabel !== f.cls) return false;
  if (f.wrong && e.correct !== false) return false;
  return !f.reason || e.dlqReason === f.reason;
}

function remember(e) {
  if (e.predictedLabel && !state.classes.has(e.predictedLabel)) {
    state.classes.add(e.predictedLabel);
    $('classes').append(el('option', { value: e.predictedLabel }));
  }
  if (e.dlqReason && !state.reasons.has(e.dlqReason)) {
    state.reasons.add(e.dlqReason);
    $('filter-reason').append(el('option', { value: e.dlqReason, text: e.dlqReason }));
  }
}

function feedItem(e) {
  const kind = e.kind === 'dead_letter' ? 'dead' : e.correct === false ? 'wrong' : e.correct === true ? 'right' : '';
  const li = el('li', { class: 'event ' + kind, 'data-seq': e.seq, 'data-event-id': e.eventId });
  if (e.kind === 'dead_letter') {
    li.append(el('div', { class: 'what' }, el('strong', { text: 'dead letter: ' + e.dlqReason }),
      el('br'), el('span', { text: e.eventId + ' — ' + (e.dlqMessage || '') })));
  } else {
    const img = el('img', { alt: e.predictedLabel, loading: 'lazy',
      src: `/api/events/${e.seq}/image.png?class=${e.predictedClass}` });
    img.onerror = () => { img.style.visibility = 'hidden'; };
    const mark = e.correct === false ? '✗ mispredicted' : e.correct === true ? '✓' : '';
    const truth = e.trueLabel ? ` · true: ${e.trueLabel}` : '';
    li.append(img, el('div', { class: 'what' },
      el('strong', { text: `${e.predictedLabel} ${fmt(100 * e.probability, 1, '%')}` }),
      el('span', { class: 'mark', text: ' ' + mark }), el('span', { text: truth }), el('br'),
      el('span', { class: 'latency', text: `${e.eventId} · ${fmt(e.latencyMs, 0, ' ms')}` })));
  }
  li.onclick = () => showDetail(e.seq);
  return li;
}

function addToFeed(e, atTop = true) {
  remember(e);
  const old = state.seen.get(e.seq);
  if (old) old.remove();
  if (!matches(e, filters())) { state.seen.delete(e.seq); return; }
  const li = feedItem(e);
  state.seen.set(e.seq, li);
  if (atTop) $('feed').prepend(li); else $('feed').append(li);
  while ($('feed').children.length > FEED_SHOWN) {
    const last = $('feed').lastElementChild;
    state.seen.delete(Number(last.dataset.seq));
    last.remove();
  }
}

async function reloadFeed() {
  const f = filters();
  const q = new URLSearchParams({ limit: FEED_SHOWN, class: f.cls, wrong: f.wrong, reason: f.reason });
  const events = await api('/api/events?' + q);
  $('feed').replaceChildren();
  state.seen.clear();
  events.forEach((e) => addToFeed(e, false));
}

async function showDetail(seq) {
  const d = await api('/api/events/' + seq);
  const e = d.event;
  $('detail').hidden = false;
  $('detail-id').textContent = e.eventId;
  const figures = [];
  if (e.kind !== 'dead_letter') {
    figures.push(figure(`/api/events/${seq}/image.png`, 'input as the model saw it', 'input'));
    const truth = d.misprediction ? d.misprediction.trueClassIndex : null;
    for (const c of e.mapClasses) {
      const name = c === e.predictedClass ? 'predicted' : c === truth ? 'true class' : 'class';
      const label = (d.audit.predictions.find((p) => p.class_index === c) || {}).label
        || (c === truth ? d.misprediction.trueLabel : String(c));
      figures.push(figure(`/api/events/${seq}/image.png?class=${c}`, `${name}: ${label} (${c})`, 'overlay'));
    }
  }
  $('detail-images').replaceChildren(...figures);
  $('detail-commands').textContent = Object.values(d.commands).join('\n') || '(a dead letter: nothing to replay)';
  $('detail-record').textContent = JSON.stringify(d.audit || d.deadLetter, (k, v) =>
    k === 'values' && Array.isArray(v) ? `[${v.length} values]` : v, 2);
  $('detail').scrollIntoView({ behavior: 'smooth' });
}

function figure(src, caption, cls) {
  return el('figure', {}, el('img', { src, alt: caption, class: cls }), el('figcaption', { text: caption }));
}

function bars(target, entries, label = (k) => k) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  $(target).replaceChildren(...entries.map(([k, v]) => el('div', { class: 'bar' },
    el('span', { class: 'name', text: label(k), title: label(k) }),
    el('span', { class: 'fill', style: `width:${Math.round(120 * v / max)}px` }), el('span', { text: v }))));
}

function confusion(cells) {
  const truths = [...new Set(cells.map((c) => c.trueLabel))].sort();
  const preds = [...new Set(cells.map((c) => c.predictedLabel))].sort();
  const count = new Map(cells.map((c) => [c.trueLabel + '\u0000' + c.predictedLabel, c.count]));
  const table = el('table', { class: 'confusion' });
  table.append(el('tr', {}, el('th'), ...preds.map((p) => el('th', { text: p }))));
  for (const t of truths) {
    table.append(el('tr', {}, el('th', { text: t }), ...preds.map((p) => {
      const n = count.get(t + '\u0000' + p) || 0;
      return el('td', { class: n === 0 ? '' : t === p ? 'diagonal' : 'off', text: n || '' });
    })));
  }
  $('confusion').replaceChildren(cells.length ? table : el('span', { text: 'no labelled events yet' }));
}

function sparkline(series, width, height, colour, max = 1) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  if (series.length > 0) {
    const t0 = series[0][0];
    const span = Math.max(1, series[series.length - 1][0] - t0);
    const line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('class', 'line');
    line.setAttribute('stroke', colour);
    line.setAttribute('points', series.map(([t, v]) =>
      `${(width * (t - t0) / span).toFixed(1)},${(height - height * Math.min(v, max) / max).toFixed(1)}`).join(' '));
    svg.append(line);
  }
  return svg;
}

function quality(points) {
  const metrics = [['drop', '#c62828'], ['increase', '#2e7d32'], ['coherency', '#4a78c2'], ['complexity', '#8e24aa']];
  const out = metrics.map(([m, colour]) => {
    const series = points.map((p) => [p.timeMillis, p[m]]);
    const last = points.length ? fmt(points[points.length - 1][m], 3) : '–';
    return el('div', { class: 'bar' }, el('span', { class: 'name', text: m }),
      sparkline(series, 260, 30, colour, Math.max(1, ...series.map(([, v]) => v))), el('span', { text: last }));
  });
  $('quality').replaceChildren(...out, el('div', { class: 'note', text: `${points.length} sampled events` }));
}

function heat(canvas, values, h, w) {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  const max = Math.max(1e-12, ...values);
  values.forEach((v, i) => {
    const x = v / max;
    img.data[4 * i] = Math.round(255 * Math.min(1, 2 * x));
    img.data[4 * i + 1] = Math.round(255 * Math.max(0, 2 * x - 1));
    img.data[4 * i + 2] = Math.round(255 * (1 - x) * 0.6);
    img.data[4 * i + 3] = 255;
  });
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function drift(classes) {
  $('drift').replaceChildren(...classes.map((c) => el('div', { class: 'class', 'data-class': c.classIndex },
    el('strong', { text: `${c.label} (${c.classIndex})` }), el('br'),
    heat(el('canvas', { title: `recent ${c.windowMaps} maps` }), c.recentMean, c.height, c.width), ' ',
    heat(el('canvas', { title: `since start, ${c.maps} maps` }), c.sinceStartMean, c.height, c.width), el('br'),
    el('span', { class: 'score', text: `drift ${fmt(c.drift, 4)} (recent ${c.windowMaps} / all ${c.maps})` }),
    el('br'), sparkline(c.series.map((p) => [p.timeMillis, p.drift]), 180, 30, '#c62828',
      Math.max(0.05, ...c.series.map((p) => p.drift))))));
  if (classes.length === 0) $('drift').append(el('span', { text: 'no maps yet' }));
}

async function refreshAggregates() {
  const [a, d] = await Promise.all([api('/api/aggregates'), api('/api/drift')]);
  const acc = (x) => (x.accuracy === null ? '–' : fmt(100 * x.accuracy, 1, '%')) + ` of ${x.labelled}`;
  $('accuracy-detail').textContent = `window: ${acc(a.accuracyWindow)} · since start: ${acc(a.accuracySinceStart)}`;
  bars('per-class', Object.entries(a.countsPerClass).sort((x, y) => y[1] - x[1]).slice(0, 30));
  bars('by-reason', Object.entries(a.deadLettersByReason).sort((x, y) => y[1] - x[1]));
  bars('latency', a.latencyHistogram.filter((b) => b.count > 0).map((b) => [b.upperMs, b.count]),
    (k) => (k === null ? '> 65536' : '≤ ' + k));
  confusion(a.confusion);
  quality(a.quality);
  drift(d);
}

function connect() {
  const source = new EventSource('/api/stream');
  source.addEventListener('summary', (m) => showSummary(JSON.parse(m.data)));
  source.addEventListener('event', (m) => addToFeed(JSON.parse(m.data)));
  // EventSource reconnects by itself; after a gap the feed reloads so nothing is missed.
  source.onopen = () => reloadFeed().catch(console.error);
}

$('filter-class').addEventListener('change', () => reloadFeed().catch(console.error));
$('filter-wrong').addEventListener('change', () => reloadFeed().catch(console.error));
$('filter-reason').addEventListener('change', () => reloadFeed().catch(console.error));
$('detail-close').addEventListener('click', () => { $('detail').hidden = true; });

api('/api/summary').then(showSummary).catch(console.error);
refreshAggregates().catch(console.error);
setInterval(() => refreshAggregates().catch(console.error), 2000);
connect();
