// Weekly NPS trend with its 95 % interval band, drawn with Plotly (served from the package).
// Only whole weeks form the line; the JSON's "left_out" weeks (the current one, or one the
// period cuts) are drawn apart, unconnected, with their interval and n, and explained below.
(function () {
  "use strict";
  var el = document.getElementById("trend");
  if (!el || typeof Plotly === "undefined") { return; }
  var fr = window.PoulsCharts || null;
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
      var traces = [band, line];
      var apart = d.left_out || [];
      if (apart.length) {
        traces.push({
          x: apart.map(function (w) { return w.week; }),
          y: apart.map(function (w) { return w.nps; }),
          mode: "markers+text", type: "scatter", name: el.dataset.labelApart,
          marker: { symbol: "diamond-open", size: 9, color: "#8a5a00" },
          error_y: { type: "data", symmetric: false, color: "#c9a55a",
                     array: apart.map(function (w) { return w.high - w.nps; }),
                     arrayminus: apart.map(function (w) { return w.nps - w.low; }) },
          text: apart.map(function (w) { return "n = " + w.n; }), textposition: "top center",
          hovertext: apart.map(function (w) { return w.explanation; }), hoverinfo: "text"
        });
        var list = document.getElementById("trend-left-out");
        if (list) {
          apart.forEach(function (w) {
            var li = document.createElement("li");
            li.textContent = w.explanation;
            list.appendChild(li);
          });
        }
      }
      var layout = {
        margin: { t: 10, r: 10, b: 40, l: 40 }, yaxis: { range: [-100, 100], zeroline: true },
        xaxis: { title: { text: el.dataset.labelWeek } }, showlegend: true,
        legend: { orientation: "h" }
      };
      if (fr) { layout = fr.layout(layout); }
      Plotly.newPlot(el, traces, layout, fr ? fr.config() : { displayModeBar: false, responsive: true });
    })
    .catch(function () { el.textContent = "—"; });
})();
