// Weekly NPS trend with its 95 % interval band, drawn with Plotly (served from the package).
(function () {
  "use strict";
  var el = document.getElementById("trend");
  if (!el || typeof Plotly === "undefined") { return; }
  fetch(el.dataset.url, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (d) {
      var band = {
        x: d.week.concat(d.week.slice().reverse()),
        y: d.high.concat(d.low.slice().reverse()),
        fill: "toself", fillcolor: "rgba(120,130,150,0.22)", line: { width: 0 },
        hoverinfo: "skip", name: el.dataset.labelBand, type: "scatter"
      };
      var line = {
        x: d.week, y: d.nps, mode: "lines+markers", name: el.dataset.labelNps, type: "scatter",
        line: { color: "#1d2330" },
        marker: { color: d.reliable.map(function (ok) { return ok ? "#1d2330" : "#ffffff"; }),
                  line: { color: "#1d2330", width: 1 } },
        customdata: d.n, hovertemplate: "%{x}<br>NPS %{y:.0f} (n = %{customdata})<extra></extra>"
      };
      Plotly.newPlot(el, [band, line], {
        margin: { t: 10, r: 10, b: 40, l: 40 }, yaxis: { range: [-100, 100], zeroline: true },
        xaxis: { title: { text: el.dataset.labelWeek } }, showlegend: true,
        legend: { orientation: "h" }
      }, { displayModeBar: false, responsive: true });
    })
    .catch(function () { el.textContent = "—"; });
})();
