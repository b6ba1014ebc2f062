// Weekly NPS trend with its 95 % interval band, drawn with Plotly (served from the package).
// Only whole weeks form the line; the JSON's "left_out" weeks (the current one, or one the
// period cuts) are drawn apart, unconnected, with their interval and n, and explained below.
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
        customdata: d.n,
        hovertemplate: "%{x|%-d %B %Y}<br>NPS %{y:.0f} (n = %{customdata})<extra></extra>"
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
        xaxis: { title: { text: el.dataset.labelWeek }, tickformat: "%-d %b\n%Y" },
        showlegend: true,
        legend: { orientation: "h" }
      };
      Plotly.newPlot(el, traces, layout, { displayModeBar: false, responsive: true });
      dataTable(d);
    })
    .catch(function () { el.textContent = "—"; });

  // The chart's text alternative: its figures as a table, behind a « Données » toggle.
  function dataTable(d) {
    var body = document.querySelector("#trend-data tbody");
    if (!body) { return; }
    var number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
    var day = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric" });
    function row(week, nps, low, high, n, note) {
      var tr = document.createElement("tr");
      [day.format(new Date(week + "T12:00:00")), nps === null ? "—" : number.format(nps),
       low === null ? "—" : "[" + number.format(low) + " ; " + number.format(high) + "]",
       String(n), note].forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
    d.week.forEach(function (week, i) {
      row(week, d.nps[i], d.low[i], d.high[i], d.n[i], d.reliable[i] ? "" : el.dataset.labelUnreliable);
    });
    (d.left_out || []).forEach(function (w) { row(w.week, w.nps, w.low, w.high, w.n, w.explanation); });
  }
})();
