// The overview page: schools, clusters and pairings per district (rows from #district-rows, series names from the
// chart element's data attributes).
(() => {
  const element = document.getElementById("district-chart");
  const rows = JSON.parse(document.getElementById("district-rows").textContent);
  const chart = echarts.init(element);
  const series = (name, key) => ({ name, type: "bar", data: rows.map((r) => r[key]) });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: {},
    xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value" },
    series: [series(element.dataset.schools, "schools"), series(element.dataset.clusters, "clusters"),
             series(element.dataset.pairings, "pairings")],
  });
  window.addEventListener("resize", () => chart.resize());
})();
