// A cluster's rotation board: teachers sent into the weaker schools in the school year, month by month and
// cumulative, with the backbone teachers among them, against the number the quota asks for the year (data from
// #rotation-data, title from data-title).
(() => {
  const element = document.getElementById("rotation-chart");
  const data = JSON.parse(document.getElementById("rotation-data").textContent);
  const chart = echarts.init(element);
  chart.setOption({
    title: { text: element.dataset.title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" }, legend: { top: 22 },
    grid: { left: 8, right: 16, top: 60, containLabel: true },
    xAxis: { type: "category", data: data.months }, yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.sent, type: "bar", data: data.sent, itemStyle: { color: "#0d6efd" } },
      { name: data.labels.backbone, type: "bar", data: data.backbone, itemStyle: { color: "#6ea8fe" } },
      {
        name: data.labels.required, type: "line", symbol: "none", data: data.months.map(() => data.required),
        lineStyle: { type: "dashed", color: "#dc3545" }, itemStyle: { color: "#dc3545" },
      },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
