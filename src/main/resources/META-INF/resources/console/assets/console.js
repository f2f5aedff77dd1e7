// Model registry console: the little that HTML and htmx do not do by themselves.
// - marks the current page in the navigation,
// - shows an upload's progress (htmx:xhr:progress),
// - draws the charts declared by <canvas data-chart=... data-points="[[x, y], ...]">:
//   line (versions), trials (mean ± std), bars (horizontal), importance ([[feature, model, mean, std]]:
//   permutation mean bars with ± std error bars, model importance on a second axis) and
//   contributions ([[feature, contribution]], negative ones in red).
(function () {
  'use strict';

  // Error answers (4xx/5xx) carry an HTML explanation: swap them like successes.
  document.addEventListener('htmx:beforeSwap', function (e) {
    if (e.detail.xhr.status >= 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  function markNavigation() {
    var path = window.location.pathname;
    document.querySelectorAll('header.top nav a').forEach(function (a) {
      var href = a.getAttribute('href');
      var current = href === '/' ? (path === '/' || path.indexOf('/console/models/') === 0) : path.indexOf(href) === 0;
      if (current) {
        a.setAttribute('aria-current', 'page');
      }
    });
  }

  function watchUploads() {
    document.addEventListener('htmx:xhr:progress', function (e) {
      var bar = document.getElementById('upload-progress');
      var out = document.getElementById('upload-percent');
      if (!bar || !e.detail.lengthComputable) {
        return;
      }
      var pct = Math.round(e.detail.loaded / e.detail.total * 100);
      bar.value = pct;
      bar.textContent = pct + ' %';
      if (out) {
        out.textContent = pct + ' %';
      }
    });
  }

  function drawCharts(root) {
    if (typeof Chart === 'undefined') {
      return;
    }
    root.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      if (canvas.dataset.drawn) {
        return;
      }
      canvas.dataset.drawn = 'true';
      var points = JSON.parse(canvas.dataset.points || '[]');
      var kind = canvas.dataset.chart;
      var label = canvas.dataset.label || '';
      var config;
      if (kind === 'importance') {
        // both axes put 0 at the same place (the permutation axis may go below 0), one row of two bars per feature
        var lo = Math.min(0, Math.min.apply(null, points.map(function (p) { return (p[2] || 0) - (p[3] || 0); })));
        var hi = Math.max(1e-9, Math.max.apply(null, points.map(function (p) { return (p[2] || 0) + (p[3] || 0); })));
        var hi2 = Math.max(1e-9, Math.max.apply(null, points.map(function (p) { return p[1] || 0; })));
        canvas.parentNode.style.height = (90 + 34 * points.length) + 'px';
        config = {
          type: 'bar',
          data: { labels: points.map(function (p) { return p[0]; }),
                  datasets: [{ label: 'permutation importance (mean ± std)', data: points.map(function (p) { return p[2]; }),
                               backgroundColor: '#0b5cad', xAxisID: 'x' },
                             { label: 'model importance (' + label + ')', data: points.map(function (p) { return p[1]; }),
                               backgroundColor: '#9ab', xAxisID: 'x2' }] },
          options: { indexAxis: 'y', animation: false, maintainAspectRatio: false,
                     scales: { x: { position: 'bottom', min: lo, max: hi, title: { display: true, text: 'permutation importance' } },
                               x2: { position: 'top', min: lo / hi * hi2, max: hi2, grid: { drawOnChartArea: false },
                                     title: { display: true, text: 'model importance' } },
                               y: { ticks: { autoSkip: false } } } },
          plugins: [{ id: 'stdBars', afterDatasetsDraw: function (chart) {
            var meta = chart.getDatasetMeta(0);
            var x = chart.scales.x;
            var ctx = chart.ctx;
            ctx.save();
            ctx.strokeStyle = '#222';
            points.forEach(function (p, i) {
              if (p[2] === null || p[3] === null || !meta.data[i]) { return; }
              var y = meta.data[i].y;
              var lo = x.getPixelForValue(p[2] - p[3]);
              var hi = x.getPixelForValue(p[2] + p[3]);
              ctx.beginPath();
              ctx.moveTo(lo, y); ctx.lineTo(hi, y);
              ctx.moveTo(lo, y - 4); ctx.lineTo(lo, y + 4);
              ctx.moveTo(hi, y - 4); ctx.lineTo(hi, y + 4);
              ctx.stroke();
            });
            ctx.restore();
          } }]
        };
      } else if (kind === 'contributions') {
        canvas.parentNode.style.height = (70 + 24 * points.length) + 'px';
        config = {
          type: 'bar',
          data: { labels: points.map(function (p) { return p[0]; }),
                  datasets: [{ label: label, data: points.map(function (p) { return p[1]; }),
                               backgroundColor: points.map(function (p) { return p[1] < 0 ? '#b3261e' : '#0b5cad'; }) }] },
          options: { indexAxis: 'y', animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
                     scales: { x: { title: { display: true, text: label } }, y: { ticks: { autoSkip: false } } } }
        };
      } else if (kind === 'bars') {
        config = {
          type: 'bar',
          data: { labels: points.map(function (p) { return p[0]; }),
                  datasets: [{ label: label, data: points.map(function (p) { return p[1]; }), backgroundColor: '#0b5cad' }] },
          options: { indexAxis: 'y', animation: false, plugins: { legend: { display: false } } }
        };
      } else {
        var data = points.map(function (p) { return { x: p[0], y: p[1] }; });
        var datasets = [{ label: label, data: data, borderColor: '#0b5cad', backgroundColor: '#0b5cad', tension: 0, pointRadius: 3 }];
        if (kind === 'trials') {
          datasets.push({ label: '+ std', data: points.map(function (p) { return { x: p[0], y: p[1] + p[2] }; }),
                          borderColor: '#9ab', borderDash: [4, 4], pointRadius: 0, fill: false });
          datasets.push({ label: '- std', data: points.map(function (p) { return { x: p[0], y: p[1] - p[2] }; }),
                          borderColor: '#9ab', borderDash: [4, 4], pointRadius: 0, fill: false });
        }
        config = {
          type: kind === 'trials' ? 'scatter' : 'line',
          data: { datasets: datasets },
          options: {
            animation: false, parsing: true, showLine: kind !== 'trials',
            scales: { x: { type: 'linear', title: { display: true, text: kind === 'trials' ? 'trial' : 'version' }, ticks: { precision: 0 } },
                      y: { title: { display: true, text: label } } },
            plugins: { legend: { display: kind === 'trials' } }
          }
        };
      }
      new Chart(canvas, config);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    markNavigation();
    watchUploads();
    drawCharts(document);
  });
  document.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.target); });
})();
