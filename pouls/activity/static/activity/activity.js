// Weekly activity and results indexed to their mean (left axis) and NPS (right axis), Plotly.
(function () {
  "use strict";
  var el = document.getElementById("activity-chart");
  var data = document.getElementById("activity-data");
  if (!el || !data || typeof Plotly === "undefined") { return; }
  var d = JSON.parse(data.textContent);
  var labels = el.dataset.labels.split("|");
  var traces = Object.keys(d.indexed).map(function (key, i) {
    return { x: d.week, y: d.indexed[key], mode: "lines", name: labels[i], type: "scatter" };
  });
  traces.push({
    x: d.week, y: d.nps, yaxis: "y2", mode: "lines+markers", name: el.dataset.labelNps,
    type: "scatter", line: { color: "#1d2330", dash: "dot" }, customdata: d.nps_n,
    hovertemplate: "%{x}<br>NPS %{y:.0f} (n = %{customdata})<extra></extra>"
  });
  Plotly.newPlot(el, traces, {
    margin: { t: 10, r: 50, b: 40, l: 50 },
    yaxis: { title: { text: el.dataset.labelIndex } },
    yaxis2: { overlaying: "y", side: "right", range: [-100, 100], zeroline: false },
    showlegend: true, legend: { orientation: "h" }
  }, { displayModeBar: false, responsive: true });
})();
