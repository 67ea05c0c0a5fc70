// The dashboard's charts (reports/dashboard.html), drawn with ECharts from the figures the page embeds as JSON
// (#report-charts); each chart's table stands beside it. Loaded by that page only.
(function () {
  "use strict";
  const source = document.getElementById("report-charts");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  // The heat map's scale stops at the busiest hour (at least 10%): a building booked a fifth of the day would
  // otherwise show as all but blank.
  const heatMax = Math.max(10, ...data.heat.cells.map((cell) => cell[2] || 0));
  const grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };
  const options = {
    rooms: {
      grid,
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : v + "%") },
      xAxis: { type: "category", data: data.rooms.names, axisLabel: { interval: 0, rotate: data.rooms.names.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [{ type: "bar", data: data.rooms.values, itemStyle: { color: "#0d6efd" } }],
    },
    heat: {
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      tooltip: { position: "top", formatter: (p) => data.heat.rooms[p.value[1]] + " " + data.heat.hours[p.value[0]] + " " + (p.value[2] === null ? "—" : p.value[2] + "%") },
      xAxis: { type: "category", data: data.heat.hours.map((hour) => hour.slice(0, 2)), splitArea: { show: true } },
      yAxis: { type: "category", data: data.heat.rooms, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: heatMax, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, formatter: "{value}%", inRange: { color: ["#f8f9fa", "#9ec5fe", "#0a58ca"] } },
      series: [{ type: "heatmap", data: data.heat.cells, label: { show: false } }],
    },
    checks: {
      grid,
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.checks.names },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.checks.labels.on_time, type: "bar", stack: "c", data: data.checks.on_time, itemStyle: { color: "#198754" } },
        { name: data.checks.labels.late, type: "bar", stack: "c", data: data.checks.late, itemStyle: { color: "#ffc107" } },
        { name: data.checks.labels.missed, type: "bar", stack: "c", data: data.checks.missed, itemStyle: { color: "#dc3545" } },
      ],
    },
    satisfaction: {
      grid,
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : v + "%") },
      xAxis: { type: "category", data: data.satisfaction.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        {
          type: "line",
          data: data.satisfaction.rates,
          connectNulls: false,
          markLine: {
            symbol: "none",
            data: [{ yAxis: data.satisfaction.target }],
            label: { position: "insideEndTop", formatter: "{c}%" },
            lineStyle: { color: "#dc3545", type: "dashed" },
          },
        },
      ],
    },
    causes: {
      tooltip: { trigger: "item" },
      legend: { bottom: 0, type: "scroll" },
      series: [
        {
          type: "pie",
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          data: data.causes.names.map((name, i) => ({ name, value: data.causes.values[i] })),
          // The counts inside the ring, the causes in the legend: long cause names outside it are cut on a phone.
          label: { position: "inside", formatter: "{c}", color: "#fff" },
        },
      ],
    },
  };
  const charts = [];
  document.querySelectorAll("[data-chart]").forEach((element) => {
    const option = options[element.dataset.chart];
    if (!option) return;
    const chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
})();
