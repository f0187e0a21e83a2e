// A rotation plan: teachers sent by the plan against the quota, per quality school (data from #plan-data).
(() => {
  const element = document.getElementById("plan-chart");
  if (!element) return;
  const data = JSON.parse(document.getElementById("plan-data").textContent);
  const chart = echarts.init(element);
  chart.setOption({
    title: { text: data.title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" }, legend: { top: 22 },
    grid: { left: 8, right: 16, top: 60, containLabel: true },
    xAxis: { type: "category", data: data.schools, axisLabel: { interval: 0, rotate: data.schools.length > 4 ? 20 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.sent, type: "bar", data: data.sent, itemStyle: { color: "#0d6efd" } },
      { name: data.labels.required, type: "bar", data: data.required, itemStyle: { color: "#adb5bd" } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
