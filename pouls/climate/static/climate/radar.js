// Radar of the five ethical-climate types (Plotly, served from the installed package).
(function () {
  "use strict";
  var el = document.getElementById("climate-radar");
  var data = document.getElementById("climate-radar-data");
  if (!el || !data || typeof Plotly === "undefined") { return; }
  var d = JSON.parse(data.textContent);
  Plotly.newPlot(el, [{
    type: "scatterpolar", r: d.r.concat([d.r[0]]), theta: d.theta.concat([d.theta[0]]),
    fill: "toself", name: el.dataset.name
  }], {
    polar: { radialaxis: { range: [0, 5] } }, margin: { t: 20, r: 40, b: 20, l: 40 }, showlegend: false
  }, { displayModeBar: false, responsive: true });
})();
