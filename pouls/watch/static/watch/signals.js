// Weak-signal charts (Plotly): one signal's weekly complaints against its baseline, and
// Yoon's emergence map of a perimeter's complaint themes.
(function () {
  "use strict";
  if (typeof Plotly === "undefined") { return; }
  var config = { displayModeBar: false, responsive: true };
  var el = document.getElementById("signal-chart");
  var data = document.getElementById("signal-data");
  if (el && data) {
    var d = JSON.parse(data.textContent);
    Plotly.newPlot(el, [
      { x: d.week, y: d.complaints, type: "bar", name: el.dataset.labelComplaints },
      { x: [d.week[0], d.week[d.week.length - 1]], y: [d.expected, d.expected], mode: "lines",
        name: el.dataset.labelExpected, line: { dash: "dot", color: "#1d2330" } }
    ], {
      margin: { t: 10, r: 20, b: 40, l: 40 }, showlegend: true, legend: { orientation: "h" },
      shapes: [{ type: "line", x0: d.first_seen, x1: d.first_seen, yref: "paper", y0: 0, y1: 1,
        line: { color: "#b42318", width: 2 } }],
      annotations: [{ x: d.first_seen, yref: "paper", y: 1, text: el.dataset.labelFirst,
        showarrow: false, xanchor: "left" }]
    }, config);
  }
  var map = document.getElementById("emergence-chart");
  var mapData = document.getElementById("emergence-data");
  if (map && mapData) {
    var m = JSON.parse(mapData.textContent);
    var median = function (values) {
      var s = values.slice().sort(function (a, b) { return a - b; });
      var h = Math.floor(s.length / 2);
      return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
    };
    var vx = median(m.visibility), vy = median(m.visibility_growth);
    Plotly.newPlot(map, [{
      x: m.visibility, y: m.visibility_growth, text: m.label, mode: "markers+text",
      textposition: "top center", type: "scatter",
      hovertemplate: "%{text}<br>%{x:.1f} ‰, %{y:.0f} %<extra></extra>"
    }], {
      margin: { t: 10, r: 20, b: 50, l: 60 }, showlegend: false,
      xaxis: { title: { text: map.dataset.labelX }, type: "log" },
      yaxis: { title: { text: map.dataset.labelY } },
      shapes: [
        { type: "line", x0: vx, x1: vx, yref: "paper", y0: 0, y1: 1, line: { dash: "dot" } },
        { type: "line", y0: vy, y1: vy, xref: "paper", x0: 0, x1: 1, line: { dash: "dot" } }
      ]
    }, config);
  }
})();
