// A pairing's interactions per month, on-site and online stacked, against the on-site interactions a month the plan
// asks of a mutual-growth project (data from #interactions-by-month, title from data-title).
(() => {
  const element = document.getElementById("interactions-chart");
  const data = JSON.parse(document.getElementById("interactions-by-month").textContent);
  const colours = ["#0d6efd", "#6ea8fe"];
  const series = data.series.map((s, i) => ({
    name: s.label, type: "bar", stack: "all", data: s.data, itemStyle: { color: colours[i % colours.length] },
  }));
  if (data.required !== null) {
    series.push({
      name: data.required_label, type: "line", symbol: "none", data: data.months.map(() => data.required),
      lineStyle: { type: "dashed", color: "#dc3545" }, itemStyle: { color: "#dc3545" },
    });
  }
  const chart = echarts.init(element);
  chart.setOption({
    title: { text: element.dataset.title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" }, legend: { top: 0, right: 0 },
    grid: { left: 8, right: 16, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.months }, yAxis: { type: "value", minInterval: 1 },
    series,
  });
  window.addEventListener("resize", () => chart.resize());
})();
